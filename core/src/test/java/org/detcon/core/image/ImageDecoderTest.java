package org.detcon.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.detcon.core.image.ImageDecodeException.Reason;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes the fixtures made by {@code tools/fixtures/make_image_fixtures.py} and compares with PIL's arrays.
 * PNG must match exactly; JPEG within {@link #JPEG_MAX_MEAN_ABS} mean / {@link #JPEG_MAX_ABS} max absolute
 * difference per sample (TwelveMonkeys' decoder vs PIL's libjpeg-turbo: IDCT and upsampling rounding differ).
 */
class ImageDecoderTest {

    static final double JPEG_MAX_MEAN_ABS = 0.5;
    static final int JPEG_MAX_ABS = 4;

    private static final Path DIR = fixtureDir();
    private static final JsonNode INDEX = readIndex();
    private final ImageDecoder decoder = ImageDecoder.withDefaults();

    private static Path fixtureDir() {
        try {
            return Path.of(ImageDecoderTest.class.getResource("/image-fixtures/index.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readIndex() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("index.json").toFile()).get("fixtures");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<JsonNode> fixtures(String kind) {
        List<JsonNode> out = new ArrayList<>();
        INDEX.forEach(n -> {
            if (n.get("kind").asText().equals(kind)) {
                out.add(n);
            }
        });
        assertFalse(out.isEmpty(), "no fixtures of kind " + kind);
        return out.stream();
    }

    private static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(DIR.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertShape(JsonNode f, Image8 img) {
        assertEquals(f.get("width").asInt(), img.width(), "width");
        assertEquals(f.get("height").asInt(), img.height(), "height");
        assertEquals(f.get("channels").asInt(), img.channels(), "channels");
    }

    @TestFactory
    Stream<DynamicTest> pngDecodesExactlyLikePil() {
        return fixtures("png").map(f -> DynamicTest.dynamicTest(f.get("file").asText(), () -> {
            Image8 img = decoder.decode(DIR.resolve(f.get("file").asText()));
            assertShape(f, img);
            byte[] expected = bytes(f.get("expected").asText());
            if (!Arrays.equals(expected, img.pixels())) {
                int i = Arrays.mismatch(expected, img.pixels());
                throw new AssertionError(f.get("file").asText() + ": first difference at sample " + i + ": expected "
                        + (expected[i] & 0xFF) + ", got " + (img.pixels()[i] & 0xFF));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> jpegDecodesCloseToPil() {
        return fixtures("jpeg").map(f -> DynamicTest.dynamicTest(f.get("file").asText(), () -> {
            Image8 img = decoder.decode(DIR.resolve(f.get("file").asText()));
            assertShape(f, img);
            byte[] expected = bytes(f.get("expected").asText());
            assertEquals(expected.length, img.pixels().length);
            long sum = 0;
            int max = 0;
            for (int i = 0; i < expected.length; i++) {
                int d = Math.abs((expected[i] & 0xFF) - (img.pixels()[i] & 0xFF));
                sum += d;
                max = Math.max(max, d);
            }
            double mean = (double) sum / expected.length;
            assertTrue(mean <= JPEG_MAX_MEAN_ABS && max <= JPEG_MAX_ABS, f.get("file").asText()
                    + ": mean abs diff " + mean + ", max " + max);
        }));
    }

    @TestFactory
    Stream<DynamicTest> badInputsAreRejectedWithReasonAndName() {
        return fixtures("bad").map(f -> DynamicTest.dynamicTest(f.get("file").asText(), () -> {
            String file = f.get("file").asText();
            Reason expected = Reason.valueOf(f.get("reason").asText());
            ImageDecodeException e = assertThrows(ImageDecodeException.class,
                    () -> decoder.decode(bytes(file), "s3://bucket/" + file));
            assertEquals(expected, e.reason(), e.getMessage());
            assertEquals("s3://bucket/" + file, e.input());
            assertTrue(e.getMessage().contains("s3://bucket/" + file), e.getMessage());
            assertTrue(e.getMessage().contains(expected.name()), e.getMessage());
            assertTrue(e.getMessage().contains(expected.advice()), e.getMessage());
            // the file entry point names the path
            ImageDecodeException e2 = assertThrows(ImageDecodeException.class,
                    () -> decoder.decode(DIR.resolve(file)));
            assertEquals(expected, e2.reason());
            assertTrue(e2.getMessage().contains(DIR.resolve(file).toString()), e2.getMessage());
        }));
    }

    @Test
    void truncatedJpegWithEoiPatchedOnIsStillTruncated() {
        byte[] full = bytes("jpeg_baseline.jpg");
        byte[] cut = Arrays.copyOf(full, full.length * 6 / 10 + 2);
        cut[cut.length - 2] = (byte) 0xFF;
        cut[cut.length - 1] = (byte) 0xD9;
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(cut, "cut.jpg"));
        assertEquals(Reason.TRUNCATED, e.reason(), e.getMessage());
    }

    @Test
    void everyPrefixOfAValidImageIsRejectedAsTruncated() {
        for (String f : List.of("jpeg_baseline.jpg", "jpeg_progressive.jpg", "png_rgb8.png", "png_palette_trns.png")) {
            byte[] full = bytes(f);
            int magic = f.endsWith(".png") ? 8 : 3;
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(cut, f),
                        f + " cut to " + n + " bytes");
                Reason want = n == 0 ? Reason.EMPTY : n < magic ? Reason.UNSUPPORTED_FORMAT : Reason.TRUNCATED;
                assertEquals(want, e.reason(), f + " cut to " + n + " bytes: " + e.getMessage());
            }
        }
    }

    @Test
    void mutatedInputsEitherDecodeOrFailWithImageDecodeException() {
        // "nothing else escapes": random byte corruption must never surface as a RuntimeException from ImageIO
        java.util.Random rnd = new java.util.Random(42);
        for (String f : List.of("jpeg_baseline.jpg", "jpeg_progressive.jpg", "jpeg_ycck.jpg", "png_rgb8.png",
                "png_palette.png", "png_gray16.png")) {
            byte[] full = bytes(f);
            for (int trial = 0; trial < 150; trial++) {
                byte[] m = full.clone();
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                try {
                    Image8 img = decoder.decode(m, f);
                    assertTrue(img.width() > 0);
                } catch (ImageDecodeException e) {
                    assertTrue(e.getMessage().contains(f));
                } catch (RuntimeException e) {
                    throw new AssertionError(f + " trial " + trial + " escaped as " + e, e);
                }
            }
        }
    }

    @Test
    void twelveBitJpegIsAnUnsupportedVariant() {
        byte[] j = bytes("jpeg_baseline.jpg");
        for (int i = 0; i + 1 < j.length; i++) {
            if ((j[i] & 0xFF) == 0xFF && (j[i + 1] & 0xFF) == 0xC0) {
                j[i + 4] = 12; // SOF0 precision
                break;
            }
        }
        assertEquals(Reason.UNSUPPORTED_VARIANT, assertThrows(ImageDecodeException.class,
                () -> decoder.decode(j, "12bit.jpg")).reason());
    }

    @Test
    void trailingBytesAfterJpegEoiAreTolerated() throws Exception {
        byte[] full = bytes("jpeg_baseline.jpg");
        byte[] padded = Arrays.copyOf(full, full.length + 100);
        assertEquals(decoder.decode(full, "a").width(), decoder.decode(padded, "b").width());
    }

    @Test
    void oversizedIsRejectedFromTheHeaderAtTheLimitBoundary() throws Exception {
        byte[] png = bytes("png_rgb8.png"); // 41 x 29 = 1189 pixels
        assertEquals(41, new ImageDecoder(DecodeLimits.ofMaxPixels(1189)).decode(png, "ok.png").width());
        ImageDecodeException e = assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(DecodeLimits.ofMaxPixels(1188)).decode(png, "big.png"));
        assertEquals(Reason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("41x29"), e.getMessage());
        byte[] jpg = bytes("jpeg_baseline.jpg");
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(DecodeLimits.ofMaxPixels(1188)).decode(jpg, "big.jpg")).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> new ImageDecoder(DecodeLimits.ofMaxPixels(1188)).readHeader(jpg, "big.jpg")).reason());
    }

    @Test
    void hugeDeclaredSizesNeverReachTheRasterAllocation() {
        // 10^10 and 4.2 * 10^9 pixels: decoding them would need far more than the test JVM's -Xmx2g, so an
        // ImageDecodeException (not an OutOfMemoryError) shows they were rejected from the header alone; a limit
        // above the Java array maximum still refuses them
        ImageDecoder generous = new ImageDecoder(DecodeLimits.ofMaxPixels(Long.MAX_VALUE));
        for (String f : List.of("bad_huge.png", "bad_huge.jpg")) {
            for (ImageDecoder d : List.of(decoder, generous)) {
                ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> d.decode(bytes(f), f));
                assertEquals(Reason.TOO_LARGE, e.reason(), e.getMessage());
            }
        }
    }

    @Test
    void encodedSizeLimit() {
        byte[] png = bytes("png_rgb8.png");
        ImageDecoder tiny = new ImageDecoder(new DecodeLimits(1_000_000, 100));
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> tiny.decode(png, "x.png")).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> tiny.decode(new ByteArrayInputStream(png), "x.png")).reason());
        assertEquals(Reason.TOO_LARGE, assertThrows(ImageDecodeException.class,
                () -> tiny.decode(DIR.resolve("png_rgb8.png"))).reason());
    }

    @Test
    void streamAndFileAndBytesAgree() throws Exception {
        byte[] b = bytes("png_palette_trns.png");
        Image8 a = decoder.decode(b, "x");
        assertArrayEquals(a.pixels(), decoder.decode(new ByteArrayInputStream(b), "x").pixels());
        assertArrayEquals(a.pixels(), decoder.decode(DIR.resolve("png_palette_trns.png")).pixels());
    }

    @Test
    void missingFileIsUnreadable() {
        Path p = DIR.resolve("does-not-exist.png");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(p));
        assertEquals(Reason.UNREADABLE, e.reason());
        assertTrue(e.getMessage().contains(p.toString()));
    }

    @Test
    void headerWithoutDecoding() throws Exception {
        assertEquals(new ImageHeader(ImageFormat.PNG, 41, 29, 1), decoder.readHeader(bytes("png_gray16.png"), "g"));
        assertEquals(new ImageHeader(ImageFormat.PNG, 41, 29, 3), decoder.readHeader(bytes("png_palette.png"), "p"));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 41, 29, 3), decoder.readHeader(bytes("jpeg_ycck.jpg"), "y"));
        assertEquals(new ImageHeader(ImageFormat.JPEG, 41, 29, 1), decoder.readHeader(bytes("jpeg_gray.jpg"), "j"));
    }

    @Test
    void jpegIsReadByTwelveMonkeys() throws Exception {
        assertTrue(ImageDecoder.JpegReaders.newReader().getClass().getName().startsWith("com.twelvemonkeys."));
    }

    @Test
    void concurrentDecodesAgree() throws Exception {
        List<String> files = new ArrayList<>();
        INDEX.forEach(n -> {
            if (!n.get("kind").asText().equals("bad")) {
                files.add(n.get("file").asText());
            }
        });
        List<byte[]> serial = new ArrayList<>();
        for (String f : files) {
            serial.add(decoder.decode(bytes(f), f).pixels());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String f : files) {
                    futures.add(pool.submit(() -> decoder.decode(bytes(f), f).pixels()));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(serial.get(i % files.size()), futures.get(i).get(), files.get(i % files.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conversionHelpers() {
        assertEquals(0, Rasters.round16(128));
        assertEquals(1, Rasters.round16(129));
        assertEquals(255, Rasters.round16(65535));
        assertEquals(255, Rasters.scaleBits(1, 1));
        assertEquals(85, Rasters.scaleBits(1, 2));
        assertEquals(17, Rasters.scaleBits(1, 4));
        assertEquals(63, ColorConvert.mulDiv255(127, 127)); // PIL: CMYK (128,0,0,128) -> R 63
    }
}
