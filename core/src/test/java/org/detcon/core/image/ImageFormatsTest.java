package org.detcon.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFormatsTest {

    @Test
    void byName() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormats.fromFileName("a/b/IMG_1.JPG"));
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormats.fromFileName("x.jpeg"));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormats.fromFileName("s3://b/p/x.Png"));
        assertTrue(ImageFormats.isSupportedName("c:\\d\\e.jpe"));
        assertFalse(ImageFormats.isSupportedName("x.gif"));
        assertFalse(ImageFormats.isSupportedName("png"));
        assertFalse(ImageFormats.isSupportedName(".png")); // hidden file, no extension
        assertFalse(ImageFormats.isSupportedName("x.png/"));
        assertFalse(ImageFormats.isSupportedName("x."));
        assertFalse(ImageFormats.isSupportedName(null));
    }

    @Test
    void byContent(@TempDir Path tmp) throws IOException {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormats.detect(jpeg));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormats.detect(png));
        assertFalse(ImageFormats.isSupported(new byte[0]));
        assertFalse(ImageFormats.isSupported(null));
        assertFalse(ImageFormats.isSupported("GIF89a..".getBytes()));
        assertFalse(ImageFormats.isSupported(new byte[]{(byte) 0x89, 'P', 'N', 'G'})); // too short
        Path f = tmp.resolve("really-a-png.jpg");
        Files.write(f, png);
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormats.detect(f));
        assertEquals(Optional.empty(), ImageFormats.detect(tmp.resolve("missing")));
    }
}
