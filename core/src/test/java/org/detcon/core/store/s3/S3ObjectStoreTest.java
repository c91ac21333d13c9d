package org.detcon.core.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.detcon.core.store.AtomicOutputStream;
import org.detcon.core.store.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** The object-store contract on a real S3-compatible server (s3proxy, filesystem backend). */
@ExtendWith(S3ProxyExtension.class)
class S3ObjectStoreTest {

    private static final AtomicInteger RUN = new AtomicInteger();
    private static final int PART = 5 << 20; // the smallest S3 (and s3proxy) allows

    private final S3ProxyExtension.Server server;
    private String rootUri;
    private ObjectStore store;

    S3ObjectStoreTest(S3ProxyExtension.Server server) {
        this.server = server;
    }

    @BeforeEach
    void open(TestInfo info) {
        // every test gets its own prefix; its name ends in a digit so that "run1" vs "run10" matters
        rootUri = "s3://" + S3ProxyExtension.Server.BUCKET + "/t/" + info.getTestMethod().orElseThrow().getName()
                + "-" + RUN.incrementAndGet();
        store = S3ObjectStore.forUri(rootUri, server.config());
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void put(String key, byte[] data) throws IOException {
        try (OutputStream out = store.create(key)) {
            out.write(data);
        }
    }

    private byte[] get(String key) throws IOException {
        try (InputStream in = store.openRead(key)) {
            return in.readAllBytes();
        }
    }

    @Test
    void putGetExistsSizeDelete() throws IOException {
        byte[] data = "hello shards".getBytes(StandardCharsets.UTF_8);
        assertFalse(store.exists("a/b.txt"));
        put("a/b.txt", data);
        assertTrue(store.exists("a/b.txt"));
        assertEquals(data.length, store.size("a/b.txt"));
        assertArrayEquals(data, get("a/b.txt"));
        store.delete("a/b.txt");
        assertFalse(store.exists("a/b.txt"));
        assertFalse(store.delete("a/b.txt")); // deleting a missing key is fine
    }

    @Test
    void emptyObjectAndByteWrites() throws IOException {
        put("empty", new byte[0]);
        assertTrue(store.exists("empty"));
        assertEquals(0, store.size("empty"));
        assertArrayEquals(new byte[0], get("empty"));

        try (OutputStream out = store.create("bytes")) {
            for (int i = 0; i < 1000; i++) {
                out.write(i);
            }
        }
        byte[] back = get("bytes");
        assertEquals(1000, back.length);
        assertEquals((byte) 999, back[999]);
    }

    @Test
    void overwriteReplacesWholeObject() throws IOException {
        put("k", bytes(PART + 1, 1));
        byte[] small = bytes(10, 2);
        put("k", small);
        assertArrayEquals(small, get("k"));
    }

    @Test
    void listIsRecursiveSortedAndRelativeToTheRoot() throws IOException {
        for (String k : List.of("b/2", "a", "b/1", "c/d/e/f", "b10/x")) {
            put(k, new byte[] {1});
        }
        // a sibling prefix that shares the root's name as a string prefix must not leak in
        try (ObjectStore sibling = S3ObjectStore.forUri(rootUri + "0", server.config())) {
            try (OutputStream out = sibling.create("outside")) {
                out.write(1);
            }
        }
        assertEquals(List.of("a", "b/1", "b/2", "b10/x", "c/d/e/f"), store.list(""));
        assertEquals(List.of("b/1", "b/2"), store.list("b/"));
        assertEquals(List.of("b/1", "b/2", "b10/x"), store.list("b"));
        assertEquals(List.of(), store.list("nothing/"));
    }

    @Test
    void listFollowsContinuationTokensAcrossPages() throws IOException {
        try (S3ObjectStore paged = S3ObjectStore.forUri(rootUri, server.config()).listPageSize(7)) {
            for (int i = 24; i >= 0; i--) {
                try (OutputStream out = paged.create(String.format("k%03d", i))) {
                    out.write(i);
                }
            }
            List<String> keys = paged.list("");
            assertEquals(25, keys.size());
            for (int i = 0; i < 25; i++) {
                assertEquals(String.format("k%03d", i), keys.get(i));
            }
        }
    }

    @Test
    void multipartUploadRoundTripsAndIsInvisibleUntilClose() throws IOException {
        byte[] data = bytes(2 * PART + 12345, 3); // 2 full parts and a short last one
        try (AtomicOutputStream out = store.create("big.tar")) {
            Random r = new Random(4);
            int off = 0;
            while (off < data.length) {
                int n = Math.min(data.length - off, 1 + r.nextInt(PART / 3));
                out.write(data, off, n);
                off += n;
            }
            // parts are on the server, but no object yet
            assertFalse(store.exists("big.tar"));
            assertEquals(1, pendingUploads("big.tar").size());
        }
        assertEquals(data.length, store.size("big.tar"));
        assertArrayEquals(data, get("big.tar"));
        assertTrue(pendingUploads("big.tar").isEmpty());
        try (S3Client c = S3ObjectStore.buildClient(server.config())) {
            String etag = c.headObject(b -> b.bucket(S3ProxyExtension.Server.BUCKET)
                    .key(S3Uri.parse(rootUri).directoryPrefix() + "big.tar")).eTag();
            assertTrue(etag.contains("-3"), "a 3-part multipart ETag, got " + etag);
        }
    }

    @Test
    void exactMultipleOfThePartSize() throws IOException {
        byte[] data = bytes(2 * PART, 5);
        put("two-parts", data);
        assertArrayEquals(data, get("two-parts"));
        byte[] one = bytes(PART, 6);
        put("one-part", one);
        assertArrayEquals(one, get("one-part"));
    }

    @Test
    void abortedSmallWriteLeavesNothing() throws IOException {
        AtomicOutputStream out = store.create("small");
        out.write(bytes(100, 7));
        out.abort();
        out.close(); // after abort: publishes nothing
        assertFalse(store.exists("small"));
        assertEquals(List.of(), store.list(""));
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void abortedMultipartWriteLeavesNoObjectAndNoUpload() throws IOException {
        AtomicOutputStream out = store.create("big");
        out.write(bytes(PART + 1, 8));
        assertEquals(1, pendingUploads("big").size());
        out.abort();
        out.close();
        assertFalse(store.exists("big"));
        assertTrue(pendingUploads("big").isEmpty());
        assertEquals(List.of(), store.list(""));
    }

    @Test
    void abortedOverwriteKeepsThePreviousObject() throws IOException {
        byte[] old = bytes(1000, 9);
        put("k", old);
        try (AtomicOutputStream out = store.create("k")) {
            out.write(bytes(PART + 1, 10));
            out.abort();
        }
        assertArrayEquals(old, get("k"));
    }

    @Test
    void failedWriteInTryWithResourcesIsAbortedByTheCaller() throws IOException {
        // the usage pattern: abort in catch, then close (from try-with-resources) publishes nothing
        assertThrows(IllegalStateException.class, () -> {
            try (AtomicOutputStream out = store.create("k")) {
                try {
                    out.write(bytes(PART + 5, 11));
                    throw new IllegalStateException("producer failed");
                } catch (RuntimeException e) {
                    out.abort();
                    throw e;
                }
            }
        });
        assertFalse(store.exists("k"));
        assertTrue(pendingUploads("k").isEmpty());
    }

    @Test
    void missingObjectsGiveErrorsNamingTheUri() {
        String uri = rootUri + "/no/such.tar";
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.openRead("no/such.tar"));
        assertTrue(e.getMessage().contains(uri), e.getMessage());
        e = assertThrows(NoSuchFileException.class, () -> store.size("no/such.tar"));
        assertTrue(e.getMessage().contains(uri), e.getMessage());
    }

    @Test
    void missingBucketIsNamed() throws IOException {
        try (ObjectStore s = S3ObjectStore.forUri("s3://no-such-bucket-x/p", server.config())) {
            NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> s.openRead("k"));
            assertTrue(e.getMessage().contains("s3://no-such-bucket-x/p/k"), e.getMessage());
            IOException w = assertThrows(IOException.class, () -> {
                try (OutputStream out = s.create("k")) {
                    out.write(1);
                }
            });
            assertTrue(w.getMessage().contains("no-such-bucket-x"), w.getMessage());
        }
    }

    @Test
    void wrongCredentialsFailWithoutRevealingTheSecret() throws IOException {
        S3Config bad = server.config().withCredentials(
                S3Config.Credentials.of(S3ProxyExtension.Server.ACCESS_KEY, "wrong-secret-9f3k", null));
        try (ObjectStore s = S3ObjectStore.forUri(rootUri, bad)) {
            IOException e = assertThrows(IOException.class, () -> s.openRead("k"));
            assertTrue(e.getMessage().contains("403"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-secret-9f3k"), e.getMessage());
            assertFalse(s.toString().contains("wrong-secret-9f3k"), s.toString());
        }
    }

    /** A profile in a credentials file of its own (what a job names, instead of the worker's environment). */
    @Test
    void profileFromACredentialsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws IOException {
        java.nio.file.Path file = tmp.resolve("credentials");
        java.nio.file.Files.writeString(file, "[detcon-test]\naws_access_key_id = " + S3ProxyExtension.Server.ACCESS_KEY
                + "\naws_secret_access_key = " + S3ProxyExtension.Server.SECRET_KEY + "\n");
        S3Config viaFile = server.config().withCredentials(new S3Config.Profile("detcon-test", file));
        try (ObjectStore s = S3ObjectStore.forUri(rootUri, viaFile)) {
            s.write("via-profile-file", new byte[] {1, 2, 3});
            assertTrue(s.exists("via-profile-file"));
        }
        assertEquals("detcon-test@" + file, viaFile.credentials().toString());
    }

    @Test
    void keysMustBeRelativeAndClean() {
        for (String bad : List.of("", "/abs", "a//b", "a/../b", "./a", "a/")) {
            assertThrows(IllegalArgumentException.class, () -> store.exists(bad), bad);
        }
    }

    @Test
    void uriNamesTheObject() {
        assertEquals(rootUri + "/x/y", store.uri("x/y"));
        assertEquals(rootUri, store.uri());
    }

    @Test
    void bucketKeyHeaderThatBeamSendsIsDroppedForS3CompatibleStores() {
        // Beam's S3 filesystem sets bucketKeyEnabled(false) on multipart uploads; s3proxy answers 501
        String key = S3Uri.parse(rootUri).directoryPrefix() + "beam-style";
        software.amazon.awssdk.services.s3.S3ClientBuilder plain = software.amazon.awssdk.services.s3.S3Client
                .builder().endpointOverride(server.endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .httpClientBuilder(software.amazon.awssdk.http.apache5.Apache5HttpClient.builder())
                .credentialsProvider(S3ObjectStore.credentialsProvider(server.config().credentials()));
        try (S3Client c = plain.build()) {
            software.amazon.awssdk.services.s3.model.S3Exception e = assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> c.createMultipartUpload(b -> b.bucket(S3ProxyExtension.Server.BUCKET).key(key)
                            .bucketKeyEnabled(false)));
            assertEquals(501, e.statusCode());
        }
        try (S3Client c = S3ObjectStore.buildClient(server.config())) {
            String id = c.createMultipartUpload(b -> b.bucket(S3ProxyExtension.Server.BUCKET).key(key)
                    .bucketKeyEnabled(false)).uploadId();
            c.abortMultipartUpload(b -> b.bucket(S3ProxyExtension.Server.BUCKET).key(key).uploadId(id));
            // only the no-op "false" is dropped: asking for bucket keys still reaches the store (and is refused)
            software.amazon.awssdk.services.s3.model.S3Exception e = assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> c.createMultipartUpload(b -> b.bucket(S3ProxyExtension.Server.BUCKET).key(key)
                            .bucketKeyEnabled(true)));
            assertEquals(501, e.statusCode());
        }
    }

    private List<MultipartUpload> pendingUploads(String key) {
        try (S3Client c = S3ObjectStore.buildClient(server.config())) {
            String full = S3Uri.parse(rootUri).directoryPrefix() + key;
            return c.listMultipartUploads(b -> b.bucket(S3ProxyExtension.Server.BUCKET).prefix(full)).uploads();
        }
    }
}
