package org.detcon.eval.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;

/**
 * The one place eval-jobs decodes image files (ImageIO; JPEG via the TwelveMonkeys plugin on the classpath).
 * Kept small so it can be swapped for {@code org.detcon.core.image} decoding and the core label-map codec.
 *
 * <p>All failures are unchecked: a missing or unreadable file gives {@link UncheckedIOException}, a file that is
 * there but cannot be decoded or has the wrong colour model gives {@link MalformedDataException} naming the
 * file and field.
 */
public final class ImageRasterIo {

    private ImageRasterIo() {
    }

    /** Decodes any image ImageIO reads as 8-bit RGB (grayscale replicated, palette expanded, 16-bit reduced). */
    public static Image8 readRgb(Path file) {
        BufferedImage img = decode(file, "image");
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean plain8 = cm instanceof ComponentColorModel && r.getTransferType() == DataBuffer.TYPE_BYTE
                && cm.getColorSpace().isCS_sRGB() && !cm.hasAlpha() && r.getNumBands() == 3;
        if (plain8) {
            int[] row = new int[w * 3];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int i = 0; i < row.length; i++) {
                    px[y * w * 3 + i] = (byte) row[i];
                }
            }
        } else if (cm instanceof ComponentColorModel && r.getTransferType() == DataBuffer.TYPE_BYTE
                && r.getNumBands() == 1) {
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < w; x++, i += 3) {
                    px[i] = px[i + 1] = px[i + 2] = (byte) r.getSample(x, y, 0);
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // colour-converted to sRGB by Java2D
            for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
                px[j] = (byte) (argb[i] >> 16);
                px[j + 1] = (byte) (argb[i] >> 8);
                px[j + 2] = (byte) argb[i];
            }
        }
        return new Image8(w, h, 3, px);
    }

    /**
     * Reads a single-band raster without any colour conversion: palette indices for palette images (e.g. VOC
     * {@code SegmentationClass}), raw values for 8- or 16-bit grayscale (label maps, depth in millimetres).
     *
     * @param field what the file holds, for error messages ("label", "depth", ...)
     */
    public static IntRaster readSingleBand(Path file, String field) {
        BufferedImage img = decode(file, field);
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (r.getNumBands() != 1) {
            throw new MalformedDataException(file, field + " channels", "expected a single-channel (palette or "
                    + "grayscale) image, found " + r.getNumBands() + " bands");
        }
        int bits = r.getSampleModel().getSampleSize(0);
        int w = img.getWidth();
        int h = img.getHeight();
        int[] values = r.getSamples(0, 0, w, h, 0, new int[w * h]);
        if (r.getTransferType() == DataBuffer.TYPE_SHORT) { // signed storage of 16-bit samples
            for (int i = 0; i < values.length; i++) {
                values[i] &= 0xFFFF;
            }
        }
        return new IntRaster(w, h, bits, cm instanceof IndexColorModel, values);
    }

    private static BufferedImage decode(Path file, String field) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, field + " file missing"));
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new MalformedDataException(file, field + " data", "cannot be decoded: " + e.getMessage(), e);
        } catch (RuntimeException e) { // some ImageIO plugins throw unchecked on corrupt data
            throw new MalformedDataException(file, field + " data", "cannot be decoded: " + e, e);
        }
        if (img == null) {
            throw new MalformedDataException(file, field + " format", "not an image format ImageIO can read");
        }
        return img;
    }
}
