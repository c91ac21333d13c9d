package org.detcon.core.store;

import org.detcon.core.store.s3.S3ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalObjectStoreTest {

    @TempDir
    Path dir;

    private static List<Path> allFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void createPublishesOnlyOnClose() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        AtomicOutputStream out = store.create("a/b/data.bin");
        out.write("hello".getBytes(StandardCharsets.UTF_8));
        assertFalse(store.exists("a/b/data.bin"));
        assertEquals(List.of(), store.list(""));
        List<Path> during = allFiles(dir);
        assertEquals(1, during.size(), "one temporary file while writing");
        String tmpName = during.get(0).getFileName().toString();
        assertTrue(tmpName.startsWith(".") && tmpName.endsWith(".tmp"), tmpName);
        assertEquals(dir.resolve("a/b"), during.get(0).getParent(), "temp file sits next to the target");
        out.close();
        assertTrue(out.isPublished());
        assertEquals(List.of("a/b/data.bin"), store.list(""));
        assertEquals(List.of(dir.resolve("a/b/data.bin")), allFiles(dir));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), store.readAllBytes("a/b/data.bin"));
        assertEquals(5, store.size("a/b/data.bin"));
        out.abort(); // after publish: no effect
        assertTrue(store.exists("a/b/data.bin"));
    }

    @Test
    void abortAndFailedBodyLeaveNothing() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        AtomicOutputStream out = store.create("x.tar");
        out.write(new byte[1000]);
        out.abort();
        out.close(); // closing after abort publishes nothing
        assertEquals(List.of(), allFiles(dir));

        IOException boom = assertThrows(IOException.class, () -> store.write("y.tar", (OutputStream o) -> {
            o.write(1);
            throw new IOException("boom");
        }));
        assertEquals("boom", boom.getMessage());
        assertEquals(List.of(), allFiles(dir));
    }

    @Test
    void replacesExistingObjectAtomically() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        store.write("k.json", "old".getBytes(StandardCharsets.UTF_8));
        AtomicOutputStream out = store.create("k.json");
        out.write("new!".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), store.readAllBytes("k.json"));
        out.close();
        assertArrayEquals("new!".getBytes(StandardCharsets.UTF_8), store.readAllBytes("k.json"));
    }

    @Test
    void listIsRecursiveSortedAndFiltersByPrefix() throws Exception {
        ObjectStore store = new LocalObjectStore(dir);
        for (String k : List.of("train/shard-000001.tar", "train/shard-000000.tar", "_manifest.json", "val/s.tar",
                "trainx/other")) {
            store.write(k, new byte[]{1});
        }
        assertEquals(List.of("_manifest.json", "train/shard-000000.tar", "train/shard-000001.tar", "trainx/other",
                "val/s.tar"), store.list(""));
        assertEquals(List.of("train/shard-000000.tar", "train/shard-000001.tar"), store.list("train/"));
        assertEquals(List.of("train/shard-000000.tar", "train/shard-000001.tar", "trainx/other"), store.list("train"));
        assertEquals(List.of("train/shard-000001.tar"), store.list("train/shard-000001"));
        assertEquals(List.of(), store.list("nothing/here"));
        assertTrue(store.delete("val/s.tar"));
        assertFalse(store.delete("val/s.tar"));
        assertFalse(store.exists("val/s.tar"));
        assertThrows(NoSuchFileException.class, () -> store.openRead("val/s.tar"));
        assertThrows(NoSuchFileException.class, () -> store.size("val/s.tar"));
    }

    @Test
    void rejectsKeysThatEscapeTheRoot() {
        ObjectStore store = new LocalObjectStore(dir);
        for (String bad : new String[]{"", "/abs", "../up", "a/../../b", "a//b", "a/", "a\\b", "./a"}) {
            assertThrows(IllegalArgumentException.class, () -> store.create(bad), bad);
        }
    }

    @Test
    void opensPathsAndFileUrisAndRefusesOtherSchemes() throws Exception {
        Path sub = dir.resolve("my data");
        LocalObjectStore a = assertInstanceOf(LocalObjectStore.class, ObjectStores.open(sub.toString()));
        assertEquals(sub, a.root());
        assertEquals(sub, ((LocalObjectStore) ObjectStores.open(sub.toUri().toString())).root()); // file:///...%20
        assertEquals(sub, ((LocalObjectStore) ObjectStores.open("file:" + sub)).root()); // raw space
        assertEquals(dir, ((LocalObjectStore) ObjectStores.open("file://" + dir)).root());
        a.write("k", new byte[]{7});
        assertEquals(sub.toUri().toString().replaceAll("/$", ""), a.uri());
        assertEquals(sub.resolve("k").toUri().toString(), a.uri("k"));
        assertTrue(ObjectStores.open(sub.toUri().toString()).exists("k"));

        System.setProperty("detcon.s3.endpoint", "http://127.0.0.1:9");
        System.setProperty("detcon.s3.region", "us-east-1");
        try (ObjectStore s3 = ObjectStores.open("s3://bucket/prefix")) {
            assertSame(S3ObjectStore.class, s3.getClass());
            assertEquals("s3://bucket/prefix", s3.uri());
        } finally {
            System.clearProperty("detcon.s3.endpoint");
            System.clearProperty("detcon.s3.region");
        }
        UnsupportedStoreException gs = assertThrows(UnsupportedStoreException.class,
                () -> ObjectStores.open("gs://b/p"));
        assertTrue(gs.getMessage().contains("gs://b/p"), gs.getMessage());
        assertThrows(UnsupportedStoreException.class, () -> ObjectStores.open("file://remotehost/x"));
        assertThrows(IllegalArgumentException.class, () -> ObjectStores.open(" "));
        assertSame(UnsupportedStoreException.class, gs.getClass());
    }
}
