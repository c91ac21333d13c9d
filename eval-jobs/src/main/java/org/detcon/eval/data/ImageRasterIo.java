package org.detcon.eval.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
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
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;

/**
 * The one place eval-jobs decodes image files: RGB images through {@code org.detcon.core.image}, single-band
 * rasters (palette indices, 8/16-bit label and depth maps) through ImageIO without colour conversion.
 *
 * <p>All failures are unchecked: a missing or unreadable file gives {@link UncheckedIOException}, a file that is
 * there but cannot be decoded or has the wrong colour model gives {@link MalformedDataException} naming the
 * file and field.
 */
public final class ImageRasterIo {

    private ImageRasterIo() {
    }

    private static final ImageDecoder DECODER = ImageDecoder.withDefaults();

    /**
     * Decodes a JPEG or PNG as 8-bit RGB with the project's decoder ({@link ImageDecoder}: the same pixels as PIL,
     * grayscale replicated, palette expanded, 16-bit rounded, alpha dropped).
     */
    public static Image8 readRgb(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UncheckedIOException(new NoSuchFileException(file.toString(), null, "image file missing"));
        }
        try {
            return DECODER.decode(file).toRgb();
        } catch (ImageDecodeException e) {
            throw new MalformedDataException(file, "image data", e.getMessage(), e);
        }
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
