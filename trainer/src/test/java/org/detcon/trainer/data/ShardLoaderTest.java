package org.detcon.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.mask.RleCodec;
import org.detcon.core.mask.RleString;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.RleMask;
import org.detcon.core.shard.SampleMetadata;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.shard.ShardWriter;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.trainer.TinyConfigs;
import org.detcon.trainer.train.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardLoaderTest {

    @TempDir
    Path tmp;

    private static final int BATCH = 4;

    /** 20 good samples in 5 shards of 4. */
    private String dataset() throws IOException {
        ObjectStore store = ObjectStores.open(tmp.resolve("ds").toString());
        Shapes.writeDataset(store, 40, 3, 20, 4);
        return store.uri();
    }

    private static List<ShardLoader.Batch<BatchAssembler.Pair>> take(String uri, int threads, long seed, ShardLoader.Position start,
            int n, List<String> warnings) throws IOException {
        BatchAssembler a = new BatchAssembler(TinyConfigs.of(Method.DETCON_B), seed);
        LoaderConfig c = new LoaderConfig(uri, Shapes.MASK_SET, 0, 6, 2, threads, 2);
        List<ShardLoader.Batch<BatchAssembler.Pair>> out = new ArrayList<>();
        try (ShardLoader l = new ShardLoader(c, a, BATCH, seed, start, warnings::add)) {
            for (int i = 0; i < n; i++) {
                out.add(l.next());
            }
            assertTrue(l.stats().samples() >= (long) n * BATCH);
        }
        return out;
    }

    private static void assertSame(List<ShardLoader.Batch<BatchAssembler.Pair>> a, List<ShardLoader.Batch<BatchAssembler.Pair>> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).keys(), b.get(i).keys(), "batch " + i);
            assertEquals(a.get(i).next(), b.get(i).next());
            for (int j = 0; j < BATCH; j++) {
                BatchAssembler.Pair p = a.get(i).items().get(j);
                BatchAssembler.Pair q = b.get(i).items().get(j);
                assertArrayEquals(p.view1().pixels(), q.view1().pixels(), 0f);
                assertArrayEquals(p.view2().pixels(), q.view2().pixels(), 0f);
                assertArrayEquals(p.masks1().ids(), q.masks1().ids());
            }
        }
    }

    @Test
    void orderIsDeterministicWhateverTheThreadsAndReshuffledEachEpoch() throws IOException {
        String uri = dataset();
        List<String> w = new ArrayList<>();
        // 12 batches of 4 = 48 samples = 2.4 epochs of 20
        List<ShardLoader.Batch<BatchAssembler.Pair>> one = take(uri, 1, 5, ShardLoader.Position.START, 12, w);
        List<ShardLoader.Batch<BatchAssembler.Pair>> three = take(uri, 3, 5, ShardLoader.Position.START, 12, w);
        assertSame(one, three);
        assertTrue(w.isEmpty(), w.toString());
        List<String> keys = new ArrayList<>();
        one.forEach(b -> keys.addAll(b.keys()));
        List<String> epoch0 = keys.subList(0, 20);
        List<String> epoch1 = keys.subList(20, 40);
        assertEquals(20, new HashSet<>(epoch0).size(), "every sample once per epoch");
        assertEquals(new HashSet<>(epoch0), new HashSet<>(epoch1));
        assertNotEquals(epoch0, epoch1, "per-epoch reshuffle");
        List<String> sorted = new ArrayList<>(epoch0);
        Collections.sort(sorted);
        assertNotEquals(sorted, epoch0, "shuffled");
        // shards are mixed: the first 8 samples come from more than 2 shards (interleave 2 + buffer)
        Set<String> firstShards = new HashSet<>();
        for (String k : epoch0.subList(0, 8)) {
            firstShards.add(k.substring(0, k.indexOf('/')));
        }
        assertTrue(firstShards.size() >= 2, firstShards.toString());
        List<ShardLoader.Batch<BatchAssembler.Pair>> other = take(uri, 2, 6, ShardLoader.Position.START, 5, w);
        assertNotEquals(one.get(0).keys(), other.get(0).keys(), "another seed, another order");
        // resume from the position after batch 6 (inside epoch 1): the same batches follow
        List<ShardLoader.Batch<BatchAssembler.Pair>> resumed = take(uri, 2, 5, one.get(6).next(), 5, w);
        assertSame(one.subList(7, 12), resumed);
    }

    @Test
    void corruptShardsAndSamplesAreCountedSkippedAndNamed() throws IOException {
        ObjectStore store = ObjectStores.open(tmp.resolve("bad").toString());
        DatasetManifest m = Shapes.writeDataset(store, 40, 3, 8, 4);
        List<ShardInfo> shards = new ArrayList<>(m.shards());
        // a shard that is not a tar, a listed shard that is missing, a shard with an undecodable image
        byte[] junk = "this is not a tar file at all".repeat(40).getBytes();
        store.write("junk-000000.tar", junk);
        shards.add(new ShardInfo("junk-000000.tar", 3, junk.length, ContentHash.hex(ContentHash.newSha256().digest(junk))));
        shards.add(new ShardInfo("missing-000000.tar", 3, 10, "0".repeat(64)));
        ShardInfo badImage;
        try (ShardWriter w = ShardWriter.create(store, "badimg-000000.tar")) {
            SampleMetadata meta = new SampleMetadata(40, 40, "x", "t", "train", "png", new TreeMap<>());
            w.write(ShardSample.builder("broken", meta, new byte[] {1, 2, 3}).build());
            w.write(Shapes.toShardSample(Shapes.generate(40, 9, 100).example(), "t"));
            badImage = w.finish();
        }
        shards.add(badImage);
        DatasetManifest.of(m.config(), "test", shards, 0).write(store);
        List<String> w = Collections.synchronizedList(new ArrayList<>());
        BatchAssembler a = new BatchAssembler(TinyConfigs.of(Method.DETCON_B), 1);
        try (ShardLoader l = new ShardLoader(new LoaderConfig(store.uri(), Shapes.MASK_SET, 0, 4, 3, 2, 2), a, BATCH,
                1, ShardLoader.Position.START, w::add)) {
            Set<String> keys = new HashSet<>();
            for (int i = 0; i < 9; i++) { // 9 good samples per epoch: ~4 epochs
                keys.addAll(l.next().keys());
            }
            assertEquals(9, keys.size(), keys.toString());
            ShardLoader.Stats s = l.stats();
            assertTrue(s.badShards() >= 2 * 3, s.toString()); // junk + missing, every epoch
            assertTrue(s.badSamples() >= 3, s.toString());
        }
        assertTrue(w.stream().anyMatch(x -> x.contains("junk-000000.tar")), w.toString());
        assertTrue(w.stream().anyMatch(x -> x.contains("missing-000000.tar")), w.toString());
        assertTrue(w.stream().anyMatch(x -> x.contains("badimg-000000.tar") && x.contains("broken")), w.toString());
    }

    @Test
    void aDatasetWithNothingReadableFailsWithAClearError() throws IOException {
        ObjectStore store = ObjectStores.open(tmp.resolve("none").toString());
        DatasetManifest.of(JsonNodeFactory.instance.objectNode(), "t",
                List.of(new ShardInfo("gone-000000.tar", 1, 1, "0".repeat(64))), 0).write(store);
        BatchAssembler a = new BatchAssembler(TinyConfigs.of(Method.DETCON_B), 1);
        try (ShardLoader l = new ShardLoader(new LoaderConfig(store.uri(), Shapes.MASK_SET, 0, 4, 1, 1, 1), a, 2, 1,
                ShardLoader.Position.START, x -> { })) {
            IOException e = assertThrows(IOException.class, l::next);
            assertTrue(e.getMessage().contains("no readable samples"), e.getMessage());
        }
        assertThrows(IOException.class, () -> new ShardLoader(new LoaderConfig(tmp.resolve("nowhere").toString(),
                null, 0, 1, 1, 1, 1), a, 2, 1, ShardLoader.Position.START, x -> { }));
    }

    @Test
    void maskSetsByNameGridOnTheFlyAndOverlappingRle() throws Exception {
        Example shapes = Shapes.generate(40, 3, 0).example();
        ShardSample s = Shapes.toShardSample(shapes, "t");
        Example e = new ExampleDecoder(Shapes.MASK_SET, 0).decode(s);
        assertEquals(Example.Kind.PARTITION, e.kind());
        assertArrayEquals(shapes.masks().get(0).labels(), e.masks().get(0).labels());
        assertArrayEquals(shapes.image().pixels(), e.image().pixels());
        Example g = new ExampleDecoder("grid-4", 0).decode(s);
        assertEquals(16, Arrays.stream(g.masks().get(0).labels()).distinct().count());
        assertEquals(4, Arrays.stream(new ExampleDecoder("fh-s1000", 2).decode(s).masks().get(0).labels())
                .distinct().count(), "grid fallback for a missing set");
        assertThrows(ExampleDecoder.BadSampleException.class, () -> new ExampleDecoder("fh-s1000", 0).decode(s));
        assertEquals(1, Arrays.stream(new ExampleDecoder(null, 0).decode(s).masks().get(0).labels()).distinct()
                .count(), "no mask set: the global mask");
        // overlapping ground truth: two RLE masks (left half, everything)
        byte[] left = new byte[40 * 40];
        byte[] all = new byte[40 * 40];
        Arrays.fill(all, (byte) 1);
        for (int i = 0; i < left.length; i++) {
            left[i] = (byte) ((i % 40) < 20 ? 1 : 0);
        }
        List<RleMask> rles = List.of(
                new RleMask(40, 40, RleString.encode(RleCodec.encodeRowMajor(left, 40, 40))),
                new RleMask(40, 40, RleString.encode(RleCodec.encodeRowMajor(all, 40, 40))));
        SampleMetadata meta = new SampleMetadata(40, 40, "x", "t", "train", "png", new TreeMap<>());
        ShardSample gt = ShardSample.builder("gt1", meta, Shapes.png(shapes.image()))
                .rleMasks("gt", "gt", null, rles).build();
        Example o = new ExampleDecoder("gt", 0).decode(gt);
        assertEquals(Example.Kind.OVERLAPPING, o.kind());
        assertEquals(2, o.masks().size());
        assertEquals(1, o.masks().get(0).label(5, 3));
        assertEquals(0, o.masks().get(0).label(5, 30));
        assertEquals(1, o.masks().get(1).label(5, 30));
    }
}
