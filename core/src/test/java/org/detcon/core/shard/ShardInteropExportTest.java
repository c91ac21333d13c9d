package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.labelmap.LabelMapPng;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes a small dataset (real JPEGs, label maps, RLE mask sets, several shards, a dead letter, a manifest) and a set
 * of label-map PNGs for the Python checkers in tools/interop. The directory is {@code -Ddetcon.interop.dir=DIR}
 * when given (then DIR/dataset and DIR/labelmaps are left for the checkers), else a temporary one; either way
 * the dataset is verified here with {@link DatasetManifest#verify}.
 */
class ShardInteropExportTest {

    @TempDir
    Path tmp;

    private Path outDir() throws IOException {
        String prop = System.getProperty("detcon.interop.dir");
        Path dir = prop == null || prop.isBlank() ? tmp : Path.of(prop);
        Files.createDirectories(dir);
        return dir;
    }

    private static byte[] jpeg(int w, int h, int seed) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 8) & 0xFF) << 16 | ((y * 8) & 0xFF) << 8 | r.nextInt(32));
            }
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "jpg", bos)) {
            throw new IllegalStateException("no JPEG writer");
        }
        return bos.toByteArray();
    }

    @Test
    void writesADatasetAndLabelMapsForThePythonCheckers() throws Exception {
        Path dir = outDir();
        ObjectStore store = ObjectStores.open(dir.resolve("dataset").toUri().toString());
        JsonNode config = new ObjectMapper().readTree("{\"dataset\":\"interop\",\"split\":\"train\","
                + "\"masks\":[{\"name\":\"grid-4\",\"cells\":4},{\"name\":\"fh-s100\",\"scale\":100,\"sigma\":0.8,"
                + "\"min_size\":1e-05}],\"shard_bytes\":40960,\"unicode\":\"é\\u0001\"}");
        List<ShardInfo> shards;
        try (RollingShardWriter w = new RollingShardWriter(store, "shard", 40_960, 1000)) {
            for (int i = 0; i < 9; i++) {
                int width = 40 + 3 * i;
                int height = 30 + i;
                String source = "file:/data/interop/img " + i + ".jpg";
                SampleMetadata meta = new SampleMetadata(width, height, source, "interop", "train", "jpg",
                        new TreeMap<>());
                ObjectNode cat = JsonNodeFactory.instance.objectNode();
                cat.put("category_id", i + 1);
                w.write(ShardSample.builder(ShardKeys.fromSource(source), meta, jpeg(width, height, i))
                        .labelMap("grid-4", "grid", TestSamples.params("cells", 4), TestSamples.grid(width, height, 4))
                        .labelMap("fh-s100", "fh", TestSamples.params("scale", 100),
                                TestSamples.grid(width, height, 1 + i))
                        .rleMasks("gt", "gt", null, List.of(new RleMask(height, width, "ab" + i, cat)))
                        .build());
            }
            shards = w.finish();
        }
        DeadLetter.writeAll(store, List.of(new DeadLetter("file:/data/interop/broken.jpg", "not a JPEG")));
        DatasetManifest m = DatasetManifest.of(config, "interop-test", shards, 1);
        m.write(store);
        assertTrue(shards.size() > 1, "the dataset should span several shards: " + shards);
        assertTrue(m.verify(store).ok(), m.verify(store).problems().toString());
        assertEquals(9, DatasetManifest.read(store).samples());

        Path maps = dir.resolve("labelmaps");
        Files.createDirectories(maps);
        Random r = new Random(1);
        List<LabelMap> cases = new ArrayList<>();
        cases.add(new LabelMap(1, 1, new int[]{65535}));
        cases.add(new LabelMap(5, 3, new int[]{0, 1, 2, 255, 256, 257, 1000, 4095, 4096, 32767, 32768, 40000, 65534,
                65535, 0}));
        cases.add(TestSamples.grid(97, 61, 7));
        int[] random = new int[33 * 17];
        for (int i = 0; i < random.length; i++) {
            random[i] = r.nextInt(65536);
        }
        cases.add(new LabelMap(33, 17, random));
        for (int c = 0; c < cases.size(); c++) {
            LabelMap lm = cases.get(c);
            String name = String.format("case%d-%dx%d", c, lm.width(), lm.height());
            Files.write(maps.resolve(name + ".png"), LabelMapPng.encode(lm));
            ByteBuffer raw = ByteBuffer.allocate(lm.labels().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : lm.labels()) {
                raw.putShort((short) v);
            }
            Files.write(maps.resolve(name + ".u16le"), raw.array());
        }
    }
}
