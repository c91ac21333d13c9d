package org.detcon.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree's trips between a store and a local folder, and which locations are local folders. */
class ObjectTreesTransferTest {

    @TempDir
    Path dir;

    @Test
    void downloadUploadAndClearATree() throws IOException {
        Path src = dir.resolve("src");
        try (ObjectStore s = new LocalObjectStore(src)) {
            s.write("a.txt", "a".getBytes(StandardCharsets.UTF_8));
            s.write("sub/b.txt", "bb".getBytes(StandardCharsets.UTF_8));
        }
        Path copy = dir.resolve("cache/copy");
        assertEquals(2, ObjectTrees.download(src.toString(), copy));
        assertEquals("bb", Files.readString(copy.resolve("sub/b.txt")));
        try (var left = Files.list(dir.resolve("cache"))) {
            assertEquals(List.of(copy), left.toList(), "nothing beside it");
        }
        IOException empty = assertThrows(IOException.class, () -> ObjectTrees.download(dir.resolve("none")
                .toString(), dir.resolve("cache/none")));
        assertTrue(empty.getMessage().contains("none is empty or does not exist"), empty.getMessage());
        assertFalse(Files.exists(dir.resolve("cache/none")));
        try (var left = Files.list(dir.resolve("cache"))) {
            assertEquals(1, left.count(), "a failed download leaves nothing");
        }

        String up = "file:" + dir.resolve("up");
        assertEquals(2, ObjectTrees.upload(copy, up));
        try (ObjectStore s = ObjectStores.open(up)) {
            assertEquals(List.of("a.txt", "sub/b.txt"), s.list(""));
            assertEquals(ObjectTrees.hash(s, s.list("")), ObjectTrees.hash(new LocalObjectStore(src), List.of(
                    "a.txt", "sub/b.txt")));
        }
        assertArrayEquals("bb".getBytes(StandardCharsets.UTF_8), ObjectStores.read(up + "/sub/b.txt").orElseThrow());
        assertTrue(ObjectStores.read(up + "/sub/c.txt").isEmpty());
        ObjectTrees.clear(up);
        assertFalse(Files.exists(dir.resolve("up")));
    }

    @Test
    void localPathsAreFoldersAndS3UrisAreNot() {
        assertEquals(Path.of("/data/ds"), ObjectStores.localPath("/data/ds"));
        assertEquals(Path.of("/data/ds"), ObjectStores.localPath("file:///data/ds"));
        assertEquals(Path.of("C:x"), ObjectStores.localPath("C:x"));
        assertNull(ObjectStores.localPath("s3://bucket/prefix"));
        assertThrows(IllegalArgumentException.class, () -> ObjectStores.read("s3://bucket/dir/"));
    }
}
