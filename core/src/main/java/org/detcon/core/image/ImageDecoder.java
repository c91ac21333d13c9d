package org.detcon.core.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.ZipException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.detcon.core.image.ImageDecodeException.Reason;

/**
 * Decodes JPEG and PNG bytes into {@link Image8}. The format is identified by content (magic bytes), never by name.
 *
 * <h2>Conversion rules</h2>
 * <ul>
 *   <li><b>Channels:</b> grayscale sources (PNG gray and gray+alpha of any bit depth, 1-component JPEG) give 1
 *       channel; everything else (RGB, RGBA, palette, YCbCr/RGB/CMYK/YCCK JPEG) gives 3 channels, RGB.</li>
 *   <li><b>Alpha</b> (PNG alpha channel, palette tRNS, gray/RGB tRNS) is <em>dropped</em>: colour samples are kept
 *       as stored, not composited over any background.</li>
 *   <li><b>16-bit</b> PNG samples become 8-bit by rounding {@code v / 257} (i.e. {@code (v + 128) / 257}; there are
 *       no ties). PNG samples of 1, 2 or 4 bits are scaled to 0..255 the way PNG defines (gray 1-bit: 0/255).</li>
 *   <li><b>Palette</b> PNGs are expanded through their palette.</li>
 *   <li><b>CMYK / YCCK JPEG</b> (Adobe APP14 transform 0 / 2) are converted without colour management, exactly
 *       as PIL's {@code convert("RGB")} / libjpeg do: YCCK is first turned into CMYK with the JPEG YCbCr formulas,
 *       then {@code R = round((255 - C)(255 - K) / 255)} etc. on ink values (Adobe files store inverted values).
 *       Embedded ICC profiles are not applied to CMYK.</li>
 *   <li><b>YCbCr JPEG</b> is converted to RGB with libjpeg's fixed-point formulas (JFIF/Adobe/component-id rules
 *       decide between YCbCr and RGB, as libjpeg does).</li>
 *   <li><b>No colour management:</b> embedded ICC profiles (JPEG APP2, PNG iCCP) and PNG gAMA are ignored, as PIL,
 *       libjpeg-turbo and TensorFlow do, so Java and Python readers of the same shard see the same pixels.
 *       EXIF orientation is not applied (PIL does not by default either).</li>
 * </ul>
 *
 * <h2>Safety</h2>
 * Width and height are read from the header and checked against {@link DecodeLimits} before any raster is
 * allocated. Truncated data is rejected ({@link Reason#TRUNCATED}) even where ImageIO would decode it with a
 * warning: a JPEG must have an EOI marker after its first scan and decode without "premature end" warnings; a PNG
 * must have a complete chunk list up to IEND (critical chunks' CRCs are checked). Other libjpeg-style "corrupt data"
 * warnings (e.g. extraneous bytes before a marker, common in real datasets) are tolerated, as PIL tolerates them.
 * A JPEG must have 8-bit samples. All failures surface as {@link ImageDecodeException}; runtime
 * exceptions thrown inside ImageIO are wrapped.
 *
 * <p>Instances are immutable and thread-safe; each call uses its own {@link ImageReader}. JPEG is always read by
 * the TwelveMonkeys reader (looked up explicitly, not whichever reader ImageIO lists first).
 */
public final class ImageDecoder {

    private static final ImageDecoder DEFAULT = new ImageDecoder(DecodeLimits.DEFAULT);

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A decoder with {@link DecodeLimits#DEFAULT}. */
    public static ImageDecoder withDefaults() {
        return DEFAULT;
    }

    public DecodeLimits limits() {
        return limits;
    }

    // ------------------------------------------------------------------------------------------------ entry points

    /** Decodes a whole encoded image; {@code name} (file name, path or URI) is used in error messages only. */
    public Image8 decode(byte[] encoded, String name) throws ImageDecodeException {
        Objects.requireNonNull(encoded, "encoded");
        return decode(encoded, encoded.length, nameOrUnknown(name));
    }

    /** Reads and decodes a file. */
    public Image8 decode(Path file) throws ImageDecodeException {
        String name = file.toString();
        return decode(readFile(file, name), name);
    }

    /** Reads the stream to its end (without closing it) and decodes it. */
    public Image8 decode(InputStream in, String name) throws ImageDecodeException {
        name = nameOrUnknown(name);
        return decode(readStream(in, name), name);
    }

    /** Identifies the format and reads size and output channels from the header only, checking the limits. */
    public ImageHeader readHeader(byte[] encoded, String name) throws ImageDecodeException {
        Objects.requireNonNull(encoded, "encoded");
        name = nameOrUnknown(name);
        return inspectGuarded(encoded, encoded.length, name).header;
    }

    // ---------------------------------------------------------------------------------------------------- decoding

    /** Header facts plus what is needed to decode. */
    private record Inspection(ImageHeader header, Headers.JpegInfo jpeg, Headers.PngInfo png) {
    }

    private Inspection inspectGuarded(byte[] d, int len, String name) throws ImageDecodeException {
        try {
            return inspect(d, len, name);
        } catch (RuntimeException e) { // header parsing is bounds-checked; this is a last line of defence
            throw new ImageDecodeException(name, Reason.CORRUPT, "header could not be parsed: " + describe(e), e);
        }
    }

    private Inspection inspect(byte[] d, int len, String name) throws ImageDecodeException {
        if (len == 0) {
            throw new ImageDecodeException(name, Reason.EMPTY, "the input has 0 bytes");
        }
        if (len > limits.maxEncodedBytes()) {
            throw new ImageDecodeException(name, Reason.TOO_LARGE, "the input has " + len
                    + " bytes, more than the limit of " + limits.maxEncodedBytes());
        }
        ImageFormat format = ImageFormats.detect(d, len).orElseThrow(() -> new ImageDecodeException(name,
                Reason.UNSUPPORTED_FORMAT, "content is not JPEG or PNG (first bytes: " + hexHead(d, len) + ")"));
        if (format == ImageFormat.JPEG) {
            Headers.JpegInfo j = Headers.parseJpeg(d, len, name);
            if (j.width() == 0 || j.height() == 0) {
                throw new ImageDecodeException(name, Reason.UNSUPPORTED_VARIANT, "JPEG frame header declares size "
                        + j.width() + "x" + j.height() + " (height defined by a DNL marker is not supported)");
            }
            if (j.precision() != 8) {
                throw new ImageDecodeException(name, Reason.UNSUPPORTED_VARIANT, "JPEG has " + j.precision()
                        + "-bit samples; only 8-bit JPEG is supported");
            }
            if (j.components() != 1 && j.components() != 3 && j.components() != 4) {
                throw new ImageDecodeException(name, Reason.UNSUPPORTED_VARIANT, "JPEG has " + j.components()
                        + " colour components; only 1 (gray), 3 (YCbCr/RGB) and 4 (CMYK/YCCK) are supported");
            }
            ImageHeader h = new ImageHeader(format, j.width(), j.height(), j.components() == 1 ? 1 : 3);
            checkSize(h, name);
            return new Inspection(h, j, null);
        }
        Headers.PngInfo p = Headers.parsePng(d, len, name);
        ImageHeader h = new ImageHeader(format, p.width(), p.height(), p.grayscale() ? 1 : 3);
        checkSize(h, name);
        return new Inspection(h, null, p);
    }

    private void checkSize(ImageHeader h, String name) throws ImageDecodeException {
        long px = h.pixelCount();
        if (px > limits.maxPixels()) {
            throw new ImageDecodeException(name, Reason.TOO_LARGE, String.format(Locale.ROOT,
                    "header declares %dx%d = %d pixels, more than the limit of %d", h.width(), h.height(), px,
                    limits.maxPixels()));
        }
        if (px * 4 > Integer.MAX_VALUE - 16) { // 4: CMYK intermediate
            throw new ImageDecodeException(name, Reason.TOO_LARGE, String.format(Locale.ROOT,
                    "header declares %dx%d pixels, too many for one Java array", h.width(), h.height()));
        }
    }

    private Image8 decode(byte[] d, int len, String name) throws ImageDecodeException {
        Inspection ins = inspectGuarded(d, len, name);
        try {
            return ins.jpeg != null ? decodeJpeg(d, len, name, ins) : decodePng(d, len, name, ins);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw classify(name, ins.header.format(), e);
        }
    }

    private static ImageDecodeException classify(String name, ImageFormat format, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return new ImageDecodeException(name, Reason.TRUNCATED, format + " data ends early: " + describe(e), e);
            }
            if (t instanceof ZipException || t instanceof DataFormatException) {
                return new ImageDecodeException(name, Reason.CORRUPT, format + " compressed data is damaged: "
                        + describe(e), e);
            }
        }
        String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (msg.contains("unsupported") || msg.contains("not supported")) {
            return new ImageDecodeException(name, Reason.UNSUPPORTED_VARIANT, format + " variant not supported: "
                    + describe(e), e);
        }
        return new ImageDecodeException(name, Reason.CORRUPT, format + " decoding failed: " + describe(e), e);
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return sb.toString();
    }

    /** Collects ImageIO warnings that mean the data ended early. */
    private static final class TruncationListener implements javax.imageio.event.IIOReadWarningListener {
        volatile String warning;

        @Override
        public void warningOccurred(ImageReader source, String message) {
            String m = String.valueOf(message).toLowerCase(Locale.ROOT);
            if (warning == null && (m.contains("premature end") || m.contains("truncated") || m.contains("missing eoi")
                    || m.contains("end of file") || m.contains("unexpected end"))) {
                warning = message;
            }
        }
    }

    private Image8 decodeJpeg(byte[] d, int len, String name, Inspection ins)
            throws IOException, ImageDecodeException {
        Headers.JpegInfo j = ins.jpeg;
        if (!Headers.jpegHasEoi(d, len, j.firstScanOffset())) {
            throw new ImageDecodeException(name, Reason.TRUNCATED, "JPEG has no end-of-image marker (FF D9) after its "
                    + "image data (" + len + " bytes)");
        }
        ImageReader reader = JpegReaders.newReader();
        TruncationListener warnings = new TruncationListener();
        reader.addIIOReadWarningListener(warnings);
        try (ImageInputStream iis = stream(d, len)) {
            reader.setInput(iis, true, true);
            // raw components, converted here: no colour management, same as libjpeg/PIL (see class javadoc)
            Raster raw = reader.readRaster(0, null);
            checkDecodedSize(raw.getWidth(), raw.getHeight(), ins.header, name);
            if (raw.getNumBands() != j.components()) {
                throw new ImageDecodeException(name, Reason.UNSUPPORTED_VARIANT, j.components()
                        + "-component JPEG decoded to " + raw.getNumBands() + " bands");
            }
            Image8 out;
            int w = raw.getWidth(), h = raw.getHeight();
            if (j.components() == 4) {
                byte[] four = Rasters.extract(raw, new int[]{0, 1, 2, 3}, 8);
                out = new Image8(w, h, 3, ColorConvert.cmykToRgb(four, j.adobeTransform() == 2, j.hasAdobe()));
            } else if (j.components() == 3) {
                byte[] three = Rasters.extract(raw, new int[]{0, 1, 2}, 8);
                if (j.threeComponentYcc()) {
                    ColorConvert.yccToRgbInPlace(three);
                }
                out = new Image8(w, h, 3, three);
            } else {
                out = new Image8(w, h, 1, Rasters.extract(raw, new int[]{0}, 8));
            }
            if (warnings.warning != null) {
                throw new ImageDecodeException(name, Reason.TRUNCATED, "JPEG image data ends early (decoder warning: "
                        + warnings.warning + ")");
            }
            return out;
        } finally {
            reader.dispose();
        }
    }

    private Image8 decodePng(byte[] d, int len, String name, Inspection ins) throws IOException, ImageDecodeException {
        Image8 direct = PngRaw.decode(d, len, ins.png);
        return direct != null ? direct : decodePngImageIo(d, len, name, ins);
    }

    /** A PNG through ImageIO alone, bypassing {@link PngRaw}: the reference it is tested against. */
    Image8 decodePngWithImageIo(byte[] d, String name) throws IOException, ImageDecodeException {
        return decodePngImageIo(d, d.length, name, inspectGuarded(d, d.length, name));
    }

    /** The PNG through ImageIO: every variant. */
    private Image8 decodePngImageIo(byte[] d, int len, String name, Inspection ins) throws IOException, ImageDecodeException {
        ImageReader reader = pngReader();
        TruncationListener warnings = new TruncationListener();
        reader.addIIOReadWarningListener(warnings);
        try (ImageInputStream iis = stream(d, len)) {
            reader.setInput(iis, true, true);
            BufferedImage img = reader.read(0);
            checkDecodedSize(img.getWidth(), img.getHeight(), ins.header, name);
            if (warnings.warning != null) {
                throw new ImageDecodeException(name, Reason.TRUNCATED, "PNG image data ends early (decoder warning: "
                        + warnings.warning + ")");
            }
            return Rasters.toImage8(img, ins.header.channels(), ins.png.bitDepth());
        } finally {
            reader.dispose();
        }
    }

    private static void checkDecodedSize(int w, int h, ImageHeader header, String name) throws ImageDecodeException {
        if (w != header.width() || h != header.height()) {
            throw new ImageDecodeException(name, Reason.CORRUPT, "decoded size " + w + "x" + h
                    + " differs from the header's " + header.width() + "x" + header.height());
        }
    }

    private static ImageInputStream stream(byte[] d, int len) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(d, 0, len));
    }

    private static ImageReader pngReader() throws ImageDecodeException {
        Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("png");
        if (!it.hasNext()) {
            throw new IllegalStateException("no PNG ImageReader registered with ImageIO");
        }
        return it.next();
    }

    /** Finds TwelveMonkeys' JPEG reader explicitly, registering it if the default registry does not have it. */
    static final class JpegReaders {
        private static volatile ImageReaderSpi spi;

        private JpegReaders() {
        }

        static ImageReader newReader() throws IOException {
            ImageReaderSpi s = spi;
            if (s == null) {
                synchronized (JpegReaders.class) {
                    s = spi;
                    if (s == null) {
                        IIORegistry registry = IIORegistry.getDefaultInstance();
                        Class<com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi> cls =
                                com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi.class;
                        s = registry.getServiceProviderByClass(cls);
                        if (s == null) { // e.g. loaded by a child class loader the registry did not scan
                            registry.registerServiceProvider(new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi());
                            s = registry.getServiceProviderByClass(cls);
                        }
                        spi = s;
                    }
                }
            }
            return s.createReaderInstance();
        }
    }

    // -------------------------------------------------------------------------------------------------- input I/O

    private byte[] readFile(Path file, String name) throws ImageDecodeException {
        try {
            long size = Files.size(file);
            if (size > limits.maxEncodedBytes()) {
                throw new ImageDecodeException(name, Reason.TOO_LARGE, "the file has " + size
                        + " bytes, more than the limit of " + limits.maxEncodedBytes());
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(name, Reason.UNREADABLE, "the file does not exist", e);
        } catch (IOException e) {
            throw new ImageDecodeException(name, Reason.UNREADABLE, "reading the file failed: " + describe(e), e);
        }
    }

    private byte[] readStream(InputStream in, String name) throws ImageDecodeException {
        Objects.requireNonNull(in, "in");
        long max = limits.maxEncodedBytes();
        int cap = (int) Math.min(max + 1, Integer.MAX_VALUE - 16);
        try {
            byte[] b = in.readNBytes(cap);
            if (b.length > max) {
                throw new ImageDecodeException(name, Reason.TOO_LARGE, "the stream has more than " + max
                        + " bytes, the configured limit");
            }
            return b;
        } catch (IOException e) {
            throw new ImageDecodeException(name, Reason.UNREADABLE, "reading the stream failed: " + describe(e), e);
        }
    }

    private static String nameOrUnknown(String name) {
        return name == null || name.isBlank() ? "<unnamed input>" : name;
    }

    private static String hexHead(byte[] d, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, len); i++) {
            sb.append(String.format("%02X ", d[i] & 0xFF));
        }
        return sb.toString().trim();
    }
}
