package org.detcon.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.segmentation.fh.Felzenszwalb;
import org.detcon.segmentation.fh.FhParams;
import org.detcon.core.labelmap.GridMasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasksCliTest {

    @TempDir
    Path dir;

    @Test
    void gridOnOneImagePrintsTheCountAndWritesTheMap() throws IOException {
        Path in = writePng("a.png", 7, 5, 1);
        Path out = dir.resolve("a-grid.png");
        CliRunner r = CliRunner.run("masks", "grid", "--n", "2", in.toString(), out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("4", r.out().trim());
        assertArrayEquals(GridMasks.grid(2, 7, 5).labels(), read(out).labels());
    }

    @Test
    void fhOnOneImageMatchesTheLibraryAndDefaultsMinSizeToScale() throws IOException {
        Path in = writePng("b.png", 40, 30, 2);
        Path out = dir.resolve("b-fh.png");
        CliRunner r = CliRunner.run("masks", "fh", "--scale", "100", in.toString(), out.toString());
        assertEquals(0, r.exitCode(), r.err());
        LabelMap expected = Felzenszwalb.segment(rgb(in), new FhParams(100, 0.8, 100));
        assertEquals(String.valueOf(expected.segmentCount()), r.out().trim());
        assertArrayEquals(expected.labels(), read(out).labels());
    }

    @Test
    void folderModeSkipsABadImageRunsTheRestAndFails() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        writePngTo(in.resolve("good1.png"), 20, 10, 3);
        writePngTo(in.resolve("good2.png"), 9, 11, 4);
        Files.write(in.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x01});
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Path out = dir.resolve("out");
        CliRunner r = CliRunner.run("masks", "grid", "--n", "3", in.toString(), out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("broken.jpg: FAILED"), r.out());
        assertTrue(r.out().contains("good1.png: 9 segments"), r.out());
        assertTrue(r.out().contains("done: 3 images"), r.out());
        assertTrue(r.out().contains("1 failed"), r.out());
        assertTrue(Files.exists(out.resolve("good1.png")));
        assertTrue(Files.exists(out.resolve("good2.png")));
        assertFalse(Files.exists(out.resolve("broken.png")));
        assertFalse(Files.exists(out.resolve("notes.png")));
    }

    @Test
    void folderModeSucceedsWhenAllImagesAreGood() throws IOException {
        Path in = Files.createDirectories(dir.resolve("ok"));
        writePngTo(in.resolve("x.png"), 12, 12, 5);
        CliRunner r = CliRunner.run("masks", "fh", "--scale", "50", "--min-size", "5", in.toString(),
                dir.resolve("o").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("done: 1 images, 1 written"), r.out());
    }

    @Test
    void badInputsExitNonZeroWithOneLine() throws IOException {
        CliRunner missing = CliRunner.run("masks", "fh", "--scale", "500", dir.resolve("nope.png").toString(),
                dir.resolve("o.png").toString());
        assertEquals(2, missing.exitCode());
        assertOneLine(missing.err(), "does not exist");

        Path corrupt = dir.resolve("c.png");
        Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0});
        CliRunner bad = CliRunner.run("masks", "fh", "--scale", "500", corrupt.toString(), dir.resolve("o.png").toString());
        assertEquals(1, bad.exitCode());
        assertOneLine(bad.err(), "c.png");

        CliRunner badN = CliRunner.run("masks", "grid", "--n", "0", writePng("d.png", 3, 3, 6).toString(),
                dir.resolve("o.png").toString());
        assertTrue(badN.exitCode() != 0);
        assertOneLine(badN.err(), "n");

        CliRunner noScale = CliRunner.run("masks", "fh", "in.png", "out.png");
        assertEquals(2, noScale.exitCode());
        assertOneLine(noScale.err(), "--scale");
    }

    private static void assertOneLine(String err, String mentions) {
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("detcon: "), err);
        assertTrue(err.contains(mentions), err);
    }

    private Path writePng(String name, int w, int h, long seed) throws IOException {
        return writePngTo(dir.resolve(name), w, h, seed);
    }

    private static Path writePngTo(Path p, int w, int h, long seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = x < w / 2 ? 40 : 200;
                int v = Math.min(255, base + rnd.nextInt(20));
                img.setRGB(x, y, (v << 16) | ((255 - v) << 8) | (y * 255 / Math.max(1, h - 1)));
            }
        }
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    private static Image8 rgb(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        byte[] px = new byte[img.getWidth() * img.getHeight() * 3];
        for (int y = 0, i = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                px[i++] = (byte) (c >> 16);
                px[i++] = (byte) (c >> 8);
                px[i++] = (byte) c;
            }
        }
        return new Image8(img.getWidth(), img.getHeight(), 3, px);
    }

    private static LabelMap read(Path png) throws IOException {
        try (InputStream in = Files.newInputStream(png)) {
            return LabelMapPng.decode(in);
        }
    }
}
