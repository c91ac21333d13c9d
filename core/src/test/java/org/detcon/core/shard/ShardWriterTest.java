package org.detcon.core.shard;

import org.detcon.core.hash.ContentHash;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardWriterTest {

    @TempDir
    Path dir;

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<ShardSample> readAll(ObjectStore store, String name) throws IOException {
        List<ShardSample> out = new ArrayList<>();
        try (ShardReader r = ShardReader.open(store, name)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void writeThenReadBackGivesEqualBytes() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        List<ShardSample> samples = new ArrayList<>();
        ShardInfo info;
        try (ShardWriter w = ShardWriter.create(store, "shard-000000.tar")) {
            for (int i = 0; i < 5; i++) {
                samples.add(TestSamples.sample(i));
                w.write(samples.get(i));
            }
            info = w.finish();
        }
        assertEquals(5, info.samples());
        assertEquals(Files.size(dir.resolve("shard-000000.tar")), info.bytes());
        assertEquals(0, info.bytes() % 10240);
        assertEquals(ContentHash.sha256Hex(dir.resolve("shard-000000.tar")), info.sha256());

        List<ShardSample> back = readAll(store, "shard-000000.tar");
        assertEquals(samples, back);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(samples.get(i).image(), back.get(i).image());
            assertArrayEquals(samples.get(i).maskFiles().get("grid-4"), back.get(i).maskFiles().get("grid-4"));
            assertArrayEquals(TestSamples.grid(back.get(i).metadata().width(), back.get(i).metadata().height(), 4)
                    .labels(), back.get(i).labelMap("grid-4").labels());
            assertEquals(2, back.get(i).rleMasks("gt").size());
            assertEquals(1 + i % 80, back.get(i).rleMasks("gt").get(0).extra().get("category_id").intValue());
        }
        MaskSetInfo grid = back.get(0).metadata().masks().get("grid-4");
        assertEquals("grid", grid.algorithm());
        assertEquals(4, grid.params().get("cells").intValue());
        assertEquals(TestSamples.grid(16, 12, 4).segmentCount(), grid.segments());
        assertEquals(MaskFormat.RLE_JSON, back.get(0).metadata().masks().get("gt").format());
        assertEquals(2, back.get(0).metadata().masks().get("gt").segments());
    }

    @Test
    void shardIsInvisibleWhileWritingAndAbortLeavesNothing() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        ShardWriter w = ShardWriter.create(store, "shard-000000.tar");
        for (int i = 0; i < 3; i++) {
            w.write(TestSamples.sample(i, 300_000)); // more than the writer's buffer, so bytes reach the disk
        }
        assertEquals(List.of(), store.list(""));
        assertFalse(store.exists("shard-000000.tar"));
        List<String> during = fileNames(dir);
        assertEquals(1, during.size());
        assertFalse(during.get(0).endsWith(".tar"), "temporary name must not look like a shard: " + during);
        assertTrue(Files.size(dir.resolve(during.get(0))) > 0);
        w.abort();
        w.close();
        assertEquals(List.of(), fileNames(dir));

        // a failed write also publishes nothing
        ShardWriter w2 = ShardWriter.create(store, "shard-000001.tar");
        w2.write(TestSamples.sample(1));
        assertThrows(IllegalArgumentException.class, () -> w2.write(TestSamples.sample(1)), "duplicate key");
        w2.write(TestSamples.sample(2)); // a rejected duplicate does not break the shard
        w2.abort();
        assertEquals(List.of(), fileNames(dir));
    }

    @Test
    void sameSamplesGiveByteIdenticalShards() throws Exception {
        ObjectStore a = new LocalObjectStore(dir.resolve("a"));
        ObjectStore b = new LocalObjectStore(dir.resolve("b"));
        ShardInfo ia;
        ShardInfo ib;
        try (ShardWriter w = ShardWriter.create(a, "s-000000.tar")) {
            for (int i = 0; i < 4; i++) {
                w.write(TestSamples.sample(i));
            }
            ia = w.finish();
        }
        try (ShardWriter w = ShardWriter.create(b, "s-000000.tar")) {
            for (int i = 0; i < 4; i++) {
                w.write(TestSamples.sample(i)); // rebuilt from scratch: new arrays, same content
            }
            ib = w.finish();
        }
        assertArrayEquals(a.readAllBytes("s-000000.tar"), b.readAllBytes("s-000000.tar"));
        assertEquals(ia, ib);
        // the fixed header fields: mode 0644, uid/gid 0, mtime 0, empty owner names
        byte[] tar = a.readAllBytes("s-000000.tar");
        assertEquals("0000644", new String(tar, 100, 7, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("00000000000", new String(tar, 136, 11, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, tar[265]);
    }

    @Test
    void membersOfASampleAreSortedAndListedByItsJson() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        ShardSample s = TestSamples.sample(3);
        try (ShardWriter w = ShardWriter.create(store, "x.tar")) {
            w.write(s);
        }
        byte[] tar = store.readAllBytes("x.tar");
        List<String> names = new ArrayList<>();
        int off = 0;
        while (tar[off] != 0) {
            int end = off;
            while (tar[end] != 0) {
                end++;
            }
            names.add(new String(tar, off, end - off, java.nio.charset.StandardCharsets.US_ASCII));
            long size = Long.parseLong(new String(tar, off + 124, 11, java.nio.charset.StandardCharsets.US_ASCII), 8);
            off += 512 + (int) ((size + 511) / 512 * 512);
        }
        String k = s.key();
        assertEquals(List.of(k + ".grid-4.png", k + ".gt.json", k + ".jpg", k + ".json"), names);
    }

    @Test
    void rollsByTargetSizeAndBySampleCount() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        long maxBytes = 60_000;
        List<ShardInfo> shards;
        try (RollingShardWriter w = new RollingShardWriter(store, "train/shard", maxBytes, 1000)) {
            for (int i = 0; i < 20; i++) {
                w.write(TestSamples.sample(i, 9_000));
            }
            shards = w.finish();
        }
        assertTrue(shards.size() >= 3, "20 x ~10 KB samples roll over 60 KB shards: " + shards);
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            ShardInfo s = shards.get(i);
            assertEquals(String.format("train/shard-%06d.tar", i), s.name());
            assertTrue(s.bytes() <= maxBytes, s + " exceeds " + maxBytes);
            assertEquals(store.size(s.name()), s.bytes());
            assertEquals(s.samples(), readAll(store, s.name()).size());
            total += s.samples();
        }
        assertEquals(20, total);
        assertEquals(shards.stream().map(ShardInfo::name).toList(), store.list("train/"));

        ObjectStore byCount = new LocalObjectStore(dir.resolve("count"));
        try (RollingShardWriter w = new RollingShardWriter(byCount, "p", 1L << 40, 3, 7)) {
            for (int i = 0; i < 7; i++) {
                w.write(TestSamples.sample(i));
            }
            assertEquals(List.of(3L, 3L, 1L), w.finish().stream().map(ShardInfo::samples).toList());
        }
        assertEquals(List.of("p-000007.tar", "p-000008.tar", "p-000009.tar"), byCount.list(""));

        // a single sample bigger than the target gets a shard of its own
        ObjectStore big = new LocalObjectStore(dir.resolve("big"));
        try (RollingShardWriter w = new RollingShardWriter(big, "b", 20_480, 100)) {
            w.write(TestSamples.sample(1, 50_000));
            w.write(TestSamples.sample(2, 100));
            assertEquals(List.of(1L, 1L), w.finish().stream().map(ShardInfo::samples).toList());
        }
    }

    @Test
    void rollingAbortDiscardsOnlyTheShardInProgress() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        RollingShardWriter w = new RollingShardWriter(store, "shard", 1L << 30, 2);
        for (int i = 0; i < 3; i++) {
            w.write(TestSamples.sample(i));
        }
        w.abort();
        assertEquals(List.of("shard-000000.tar"), fileNames(dir));
        assertEquals(1, w.shards().size());
    }

    @Test
    void keysAreValidatedAndDerivedFromSourcesDeterministically() {
        for (String bad : new String[]{"", "a.b", "a/b", "dir/key", "sp ace", "x".repeat(65), "ü"}) {
            assertFalse(ShardKeys.isValidKey(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> ShardKeys.checkKey(bad));
        }
        assertTrue(ShardKeys.isValidKey("000000000009_abc-DEF"));
        String k1 = ShardKeys.fromSource("s3://bucket/coco/train2017/000000000009.jpg");
        assertEquals(k1, ShardKeys.fromSource("s3://bucket/coco/train2017/000000000009.jpg"));
        assertTrue(k1.startsWith("000000000009_"), k1);
        assertTrue(ShardKeys.isValidKey(k1), k1);
        String k2 = ShardKeys.fromSource("s3://bucket/coco/val2017/000000000009.jpg");
        assertNotEquals(k1, k2);
        for (String src : new String[]{"/x/My Photo (1).tar.gz", "file:/a/b/c.d.e.png", ".hidden", "/",
                "http://h/p/img.jpg?sig=a.b/c", "C:\\data\\img 1.JPG", "x".repeat(300) + ".png"}) {
            assertTrue(ShardKeys.isValidKey(ShardKeys.fromSource(src)), src + " -> " + ShardKeys.fromSource(src));
        }
        assertTrue(ShardKeys.fromSource("/x/My Photo (1).tar.gz").startsWith("My_Photo__1__"));
        assertThrows(IllegalArgumentException.class, () -> ShardKeys.checkMaskSet("fh.s1000"));
        ShardKeys.checkMaskSet("fh-s1000");
    }

    @Test
    void samplesMustMatchTheirMetadata() {
        SampleMetadata meta = new SampleMetadata(8, 8, "src", "d", "s", "png", new java.util.TreeMap<>());
        byte[] img = {1};
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> ShardSample
                .builder("k", meta, img).labelMap("m", "grid", null, new LabelMap(4, 8, new int[32])).build());
        assertTrue(size.getMessage().contains("4x8"), size.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardSample("k", meta, img,
                new java.util.TreeMap<>(java.util.Map.of("extra", new byte[]{1}))));
        assertThrows(IllegalArgumentException.class,
                () -> new SampleMetadata(8, 8, "src", "d", "s", "gif", new java.util.TreeMap<>()));
        assertThrows(IllegalArgumentException.class, () -> ShardSample.builder("k", meta, img)
                .rleMasks("m", "gt", null, List.of(new RleMask(7, 8, "x"))));
    }
}
