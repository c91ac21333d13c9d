package org.detcon.eval.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Test helpers: committed fixtures (made by tools/fixtures/make_eval_data_fixtures.py) and broken copies. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path path(String relative) {
        try {
            var url = Fixtures.class.getResource("/fixtures/" + relative);
            if (url == null) {
                throw new IllegalStateException("fixture missing: " + relative);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a fixture directory tree into {@code target} and returns the copy. */
    public static Path copy(String relative, Path target) {
        Path src = path(relative);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path dst = target.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Writes an 8-bit grayscale PNG with the given values. */
    public static void writeGray8(Path file, int width, int height, int value) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        write(img, file);
    }

    public static void writeRgb(Path file, int width, int height) {
        write(new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR), file);
    }

    public static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(img, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rgb formula of make_eval_data_fixtures.py, channel c at (y, x) of image k. */
    public static int rgbFormula(int y, int x, int k, int c) {
        return switch (c) {
            case 0 -> (x * 23 + k * 40) % 256;
            case 1 -> (y * 31 + k * 9) % 256;
            default -> (x + y + k) * 5 % 256;
        };
    }
}
