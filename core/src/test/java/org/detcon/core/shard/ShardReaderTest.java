package org.detcon.core.shard;

import org.detcon.core.labelmap.LabelMap;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardReaderTest {

    @TempDir
    Path dir;

    private static byte[] shardBytes(int n) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        long entries = 0;
        for (int i = 0; i < n; i++) {
            for (var e : ShardWriter.members(TestSamples.sample(i)).entrySet()) {
                Tar.writeEntry(bos, e.getKey(), e.getValue());
                entries += Tar.entrySize(e.getValue().length);
            }
        }
        Tar.writeEnd(bos, entries);
        return bos.toByteArray();
    }

    private static List<ShardSample> read(byte[] tar) {
        List<ShardSample> out = new ArrayList<>();
        new ShardReader(new ByteArrayInputStream(tar), "test.tar").forEachRemaining(out::add);
        return out;
    }

    private static ShardFormatException readFails(byte[] tar) {
        return assertThrows(ShardFormatException.class, () -> read(tar));
    }

    /** Tar bytes of arbitrary members (name, content) with a proper end. */
    private static byte[] tarOf(String... namesAndContents) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        long entries = 0;
        for (int i = 0; i < namesAndContents.length; i += 2) {
            byte[] data = namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8);
            Tar.writeEntry(bos, namesAndContents[i], data);
            entries += Tar.entrySize(data.length);
        }
        Tar.writeEnd(bos, entries);
        return bos.toByteArray();
    }

    @Test
    void readsTheFixtureWrittenByPythonTarfile() throws Exception {
        byte[] tar;
        try (InputStream in = getClass().getResourceAsStream("/shard/python-tarfile.tar")) {
            tar = in.readAllBytes();
        }
        List<ShardSample> samples = read(tar);
        assertEquals(List.of("py_sample_0", "py_sample_1"), samples.stream().map(ShardSample::key).toList());
        ShardSample s = samples.get(1);
        assertEquals(3, s.metadata().width());
        assertEquals(2, s.metadata().height());
        assertEquals("file:/fixtures/py_sample_1.png", s.metadata().source());
        assertEquals("python", s.metadata().masks().get("gt").params().get("note").textValue());
        LabelMap gt = s.labelMap("gt");
        assertArrayEquals(new int[]{0, 1, 65535, 256, 2, 7}, gt.labels());
        assertEquals(6, gt.segmentCount());
        assertEquals(4, s.rleMasks("inst").get(0).extra().get("category_id").intValue());
        assertEquals("1b0", s.rleMasks("inst").get(0).counts());
    }

    @Test
    void corruptHeaderIsReportedWithShardAndEntry() throws Exception {
        byte[] tar = shardBytes(3);
        String secondSampleFirstMember = ShardWriter.members(TestSamples.sample(1)).keySet().iterator().next();
        int at = indexOf(tar, secondSampleFirstMember.getBytes(StandardCharsets.US_ASCII));
        tar[at + 110] ^= 0x01; // inside the uid field: checksum no longer matches
        ShardFormatException e = readFails(tar);
        assertEquals("test.tar", e.shard());
        assertEquals(secondSampleFirstMember, e.entry());
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(e.getMessage().contains("test.tar") && e.getMessage().contains(secondSampleFirstMember));
    }

    @Test
    void truncatedShardsAreReportedNotSilentlyShortened() throws Exception {
        byte[] tar = shardBytes(2);
        // cut inside the data of the last member
        String last = TestSamples.sample(1).metadataName();
        int at = indexOf(tar, last.getBytes(StandardCharsets.US_ASCII));
        ShardFormatException inData = readFails(Arrays.copyOf(tar, at + 512 + 10));
        assertEquals(last, inData.entry());
        assertTrue(inData.getMessage().contains("truncated"), inData.getMessage());
        // cut exactly at a member boundary: no end-of-archive block
        ShardFormatException atBoundary = readFails(Arrays.copyOf(tar, at));
        assertNull(atBoundary.entry());
        assertTrue(atBoundary.getMessage().contains("end-of-archive"), atBoundary.getMessage());
        // cut inside a header
        assertTrue(readFails(Arrays.copyOf(tar, at + 100)).getMessage().contains("inside a header"));
        // empty stream
        assertTrue(readFails(new byte[0]).getMessage().contains("truncated"));
    }

    @Test
    void malformedSamplesAreRejected() throws Exception {
        ShardSample s = TestSamples.sample(0);
        String json = new String(s.metadata().toBytes(), StandardCharsets.UTF_8);
        String k = s.key();
        // no KEY.json
        ShardFormatException noJson = readFails(tarOf(k + ".jpg", "x"));
        assertTrue(noJson.getMessage().contains("has no " + k + ".json"), noJson.getMessage());
        // a listed file is missing
        ShardFormatException missing = readFails(tarOf(k + ".jpg", "x", k + ".json", json));
        assertTrue(missing.getMessage().contains("lacks " + k + ".grid-4.png"), missing.getMessage());
        // an unlisted member
        ShardFormatException extra = readFails(tarOf("a.jpg", "x", "a.txt", "t", "a.json",
                "{\"width\":1,\"height\":1,\"source\":\"s\",\"dataset\":\"d\",\"split\":\"s\",\"image\":\"jpg\","
                        + "\"masks\":{}}"));
        assertEquals("a.txt", extra.entry());
        // broken metadata
        ShardFormatException badJson = readFails(tarOf("a.jpg", "x", "a.json", "{\"width\":"));
        assertEquals("a.json", badJson.entry());
        // key with a directory and a key reappearing later
        assertTrue(readFails(tarOf("dir/a.json", "{}")).getMessage().contains("invalid sample key"));
        String okJson = "{\"width\":1,\"height\":1,\"source\":\"s\",\"dataset\":\"d\",\"split\":\"s\",\"image\":\"jpg\","
                + "\"masks\":{}}";
        ShardFormatException again = readFails(tarOf("a.jpg", "x", "a.json", okJson, "b.jpg", "x", "b.json", okJson,
                "a.jpg", "y"));
        assertTrue(again.getMessage().contains("appears again"), again.getMessage());
        // a member without extension
        assertTrue(readFails(tarOf("README", "x")).getMessage().contains("KEY.EXTENSION"));
        // a well-formed sample passes
        assertEquals(1, read(tarOf("a.jpg", "x", "a.json", okJson)).size());
    }

    @Test
    void forEachCanSkipCorruptAndMissingShards() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        store.write("s-000000.tar", shardBytes(2));
        byte[] bad = shardBytes(3);
        String member = ShardWriter.members(TestSamples.sample(2)).keySet().iterator().next();
        bad[indexOf(bad, member.getBytes(StandardCharsets.US_ASCII)) + 120] ^= 0x7;
        store.write("s-000001.tar", bad);
        store.write("s-000002.tar", shardBytes(1));
        List<String> names = List.of("s-000000.tar", "s-000001.tar", "missing.tar", "s-000002.tar");

        assertThrows(ShardFormatException.class,
                () -> ShardReader.forEach(store, names, ShardReader.OnCorrupt.FAIL, x -> { }));

        List<String> keys = new ArrayList<>();
        ShardReader.ReadSummary sum = ShardReader.forEach(store, names, ShardReader.OnCorrupt.SKIP_SHARD,
                x -> keys.add(x.key()));
        assertEquals(2, sum.shardsRead());
        assertEquals(2, sum.skipped().size());
        assertEquals("s-000001.tar", sum.skipped().get(0).shard());
        // sample 1 is not delivered either: the reader cannot know it is complete without the next (corrupt) header
        assertEquals(1, sum.skipped().get(0).samplesDelivered());
        assertEquals(member, sum.skipped().get(0).error().entry());
        assertEquals("missing.tar", sum.skipped().get(1).shard());
        assertEquals(2 + 1 + 1, sum.samples());
        assertEquals(4, keys.size());
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i += 512) { // tar names start on block boundaries
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (hay[i + needle.length] == 0) {
                return i;
            }
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.US_ASCII));
    }
}
