package org.detcon.core.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Trees copied between a local folder and an s3:// prefix (s3proxy) and back; their hashes; deleting them. */
@ExtendWith(S3ProxyExtension.class)
class ObjectTreesTest {

    @TempDir
    Path dir;

    @Test
    void aTreeCopiedToS3AndBackHashesAlikeAndDeletes(S3ProxyExtension.Server server) throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/x.txt"), "x");
        Files.writeString(src.resolve("a-c.txt"), "yy");
        Files.writeString(src.resolve("z"), "");
        try (ObjectStore local = new LocalObjectStore(src);
                ObjectStore s3 = S3ObjectStore.forUri("s3://" + S3ProxyExtension.Server.BUCKET + "/trees/t1",
                        server.config());
                ObjectStore back = new LocalObjectStore(dir.resolve("back"))) {
            List<String> keys = local.list("");
            assertEquals(List.of("a-c.txt", "a/b/x.txt", "z"), keys);
            // by hand: sorted "key\tsha256\n" lines, hashed
            String expected = ContentHash.sha256Hex("a-c.txt\t" + ContentHash.sha256Hex("yy") + "\n"
                    + "a/b/x.txt\t" + ContentHash.sha256Hex("x") + "\n" + "z\t" + ContentHash.sha256Hex("") + "\n");
            assertEquals(expected, ObjectTrees.hash(local, keys));

            assertEquals(3, ObjectTrees.copy(local, s3));
            assertEquals(keys, s3.list(""));
            assertEquals(expected, ObjectTrees.hash(s3, s3.list("")));
            assertEquals(3, ObjectTrees.copy(s3, back));
            assertArrayEquals("yy".getBytes(StandardCharsets.UTF_8), back.readAllBytes("a-c.txt"));

            s3.write("z", new byte[] {1});
            assertNotEquals(expected, ObjectTrees.hash(s3, s3.list("")), "a changed object changes the hash");
            assertEquals(3, ObjectTrees.deleteAll(s3));
            assertEquals(List.of(), s3.list(""));
        }
    }
}
