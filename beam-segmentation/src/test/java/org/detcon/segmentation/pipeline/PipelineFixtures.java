package org.detcon.segmentation.pipeline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;

/** Test inputs: the image folder and tiny COCO file under src/test/resources/pipeline, and helpers. */
final class PipelineFixtures {

    /** Good images in the folder fixture (incl. CMYK/YCCK JPEG, 16-bit PNGs, a JPEG named .png, a subfolder). */
    static final int GOOD = 9;
    /** Bad ones, by file name, with the reason expected. */
    static final Map<String, String> BAD = Map.of(
            "bad_empty.jpg", "EMPTY",
            "bad_text.jpg", "UNSUPPORTED_FORMAT",
            "bad_gif.png", "UNSUPPORTED_FORMAT",
            "bad_truncated.jpg", "TRUNCATED",
            "bad_truncated.png", "TRUNCATED",
            "bad_corrupt.png", "CORRUPT",
            "bad_huge.png", "TOO_LARGE");

    private PipelineFixtures() {
    }

    static Path resource(String name) {
        URL u = PipelineFixtures.class.getResource("/pipeline/" + name);
        try {
            return Path.of(u.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the image folder fixture (so tests can add files). */
    static Path imageFolder(Path tmp) throws IOException {
        Path dst = tmp.resolve("images");
        copyTree(resource("images"), dst);
        return dst;
    }

    static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** A JPEG of the given size with some structure (so FH finds more than one segment). */
    static void writeJpeg(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = x < w / 2 ? 220 : 30;
                int g = y < h / 2 ? 40 : 200;
                img.setRGB(x, y, (r << 16) | (g << 8) | ((x * 7 + y * 3) & 0xFF));
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "jpg", file.toFile())) {
            throw new IOException("no JPEG writer");
        }
    }

    /** All samples of a dataset, by key, read with {@link ShardReader}. */
    static Map<String, ShardSample> readAll(String uri) throws IOException {
        ObjectStore store = ObjectStores.open(uri);
        DatasetManifest m = DatasetManifest.read(store);
        Map<String, ShardSample> out = new TreeMap<>();
        for (ShardInfo s : m.shards()) {
            try (ShardReader r = ShardReader.open(store, s.name())) {
                while (r.hasNext()) {
                    ShardSample x = r.next();
                    if (out.put(x.key(), x) != null) {
                        throw new IllegalStateException("duplicate sample " + x.key());
                    }
                }
            }
        }
        return out;
    }

    /** File name to bytes of every file of a dataset directory. */
    static Map<String, byte[]> files(Path dir) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = new ArrayList<>();
            s.filter(Files::isRegularFile).forEach(files::add);
            for (Path p : files) {
                out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
