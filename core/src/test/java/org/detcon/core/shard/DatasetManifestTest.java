package org.detcon.core.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetManifestTest {

    @TempDir
    Path dir;

    private static JsonNode config() throws IOException {
        return new ObjectMapper().readTree("{\"masks\":{\"fh\":{\"scale\":1000,\"sigma\":0.8}},\"dataset\":\"coco\"}");
    }

    private DatasetManifest writeDataset(ObjectStore store) throws IOException {
        List<ShardInfo> shards;
        try (RollingShardWriter w = new RollingShardWriter(store, "shard", 1L << 30, 3)) {
            for (int i = 0; i < 7; i++) {
                w.write(TestSamples.sample(i));
            }
            shards = w.finish();
        }
        DeadLetter.writeAll(store, List.of(new DeadLetter("file:/data/bad.jpg", "not a JPEG: bad marker")));
        DatasetManifest m = DatasetManifest.of(config(), "0.1.0-test", shards, 1);
        m.write(store);
        return m;
    }

    @Test
    void roundTripsAndHashesTheCanonicalConfig() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        DatasetManifest m = writeDataset(store);
        assertEquals(ContentHash.sha256Hex(
                "{\"dataset\":\"coco\",\"masks\":{\"fh\":{\"scale\":1000,\"sigma\":0.8}}}"), m.configSha256());
        DatasetManifest back = DatasetManifest.read(store);
        assertEquals(m, back);
        assertEquals(7, back.samples());
        assertEquals(8, back.inputs());
        assertEquals(3, back.shards().size());
        JsonNode json = new ObjectMapper().readTree(store.readAllBytes(DatasetManifest.FILE_NAME));
        assertEquals(7, json.get("totals").get("samples").intValue());
        assertEquals(1, json.get("totals").get("rejected").intValue());
        assertEquals("shard-000000.tar", json.get("shards").get(0).get("name").textValue());
        assertTrue(m.verify(store).ok(), m.verify(store).problems().toString());
        // deterministic bytes
        assertEquals(new String(m.toBytes(), StandardCharsets.UTF_8), new String(back.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void contentHashNamesTheShardsNotTheConfigOrTheCodeVersion() throws Exception {
        DatasetManifest m = writeDataset(new LocalObjectStore(dir));
        DatasetManifest otherCode = DatasetManifest.of(new ObjectMapper().readTree("{\"source\":\"/elsewhere\"}"),
                "0.2.0", m.shards(), m.rejected());
        assertEquals(m.contentHash(), otherCode.contentHash());
        StringBuilder expected = new StringBuilder("[");
        for (ShardInfo s : m.shards()) {
            expected.append(expected.length() > 1 ? "," : "").append(String.format(
                    "{\"bytes\":%d,\"name\":\"%s\",\"samples\":%d,\"sha256\":\"%s\"}", s.bytes(), s.name(),
                    s.samples(), s.sha256()));
        }
        assertEquals(ContentHash.sha256Hex(expected.append("]").toString()), m.contentHash());
        DatasetManifest fewer = DatasetManifest.of(config(), "0.1.0-test", m.shards().subList(0, 2), 1);
        assertFalse(m.contentHash().equals(fewer.contentHash()));
    }

    @Test
    void readingRejectsATamperedConfigOrTotals() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        writeDataset(store);
        String text = new String(store.readAllBytes(DatasetManifest.FILE_NAME), StandardCharsets.UTF_8);
        store.write(DatasetManifest.FILE_NAME, text.replace("1000", "2000").getBytes(StandardCharsets.UTF_8));
        IOException cfg = assertThrows(IOException.class, () -> DatasetManifest.read(store));
        assertTrue(cfg.getMessage().contains("config_sha256"), cfg.getMessage());
        store.write(DatasetManifest.FILE_NAME,
                text.replace("\"samples\" : 7", "\"samples\" : 8").getBytes(StandardCharsets.UTF_8));
        IOException tot = assertThrows(IOException.class, () -> DatasetManifest.read(store));
        assertTrue(tot.getMessage().contains("totals.samples"), tot.getMessage());
    }

    @Test
    void verifyCatchesCorruptMissingUnlistedShardsAndDeadLetterMismatch() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        DatasetManifest m = writeDataset(store);

        Path s1 = dir.resolve("shard-000001.tar");
        byte[] b = Files.readAllBytes(s1);
        int jpg = ShardReaderTest.indexOf(b, TestSamples.sample(3).imageName().getBytes(StandardCharsets.US_ASCII));
        b[jpg + 512 + 10] ^= 0x01; // inside the image bytes: the tar still parses, only the hash differs
        Files.write(s1, b);
        List<String> p = m.verify(store).problems();
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("shard-000001.tar: sha256"), p.toString());

        b[200] ^= 0x01; // a header byte: the shard no longer parses
        Files.write(s1, b);
        p = m.verify(store).problems();
        assertTrue(p.stream().anyMatch(x -> x.startsWith("shard-000001.tar: unreadable") && x.contains("checksum")),
                p.toString());

        Files.delete(dir.resolve("shard-000002.tar"));
        store.write("stray-000000.tar", new byte[10240]);
        store.write(DeadLetter.FILE_NAME, new byte[0]);
        p = m.verify(store).problems();
        assertTrue(p.contains("shard-000002.tar: missing"), p.toString());
        assertTrue(p.contains("stray-000000.tar: shard file not listed in the manifest"), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith(DeadLetter.FILE_NAME + ": has 0 entries")), p.toString());
        assertFalse(m.verify(store).ok());
    }

    @Test
    void deadLettersRoundTrip() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        assertEquals(List.of(), DeadLetter.readIfPresent(store));
        List<DeadLetter> letters = List.of(new DeadLetter("s3://b/a.jpg", "decode failed: \"EOF\"\nat byte 12"),
                new DeadLetter("file:/x/ü.png", "too small: 0x0"));
        try (DeadLetter.Writer w = DeadLetter.Writer.create(store)) {
            assertFalse(store.exists(DeadLetter.FILE_NAME), "published on close only");
            for (DeadLetter d : letters) {
                w.write(d);
            }
            assertEquals(2, w.count());
        }
        assertEquals(letters, DeadLetter.readAll(store));
        String text = new String(store.readAllBytes(DeadLetter.FILE_NAME), StandardCharsets.UTF_8);
        assertEquals(2, text.lines().count());
        assertTrue(text.startsWith("{\"input\":\"s3://b/a.jpg\",\"reason\":"), text);
        store.write(DeadLetter.FILE_NAME, "{\"input\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> DeadLetter.readAll(store));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("reason"), e.getMessage());
    }
}
