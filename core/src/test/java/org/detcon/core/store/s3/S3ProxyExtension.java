package org.detcon.core.store.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts one real S3-compatible server for the whole test run: s3proxy in-process, filesystem backend in a temp
 * directory, on 127.0.0.1 and a free port, with SigV4 authentication and bucket {@link Server#BUCKET} created.
 * It is stopped (and the directory deleted) when the run ends. Test classes get it as a {@link Server}
 * parameter.
 */
public final class S3ProxyExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return server(c);
    }

    private static Server server(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(S3ProxyExtension.class))
                .getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
    }

    /** A running s3proxy. */
    public static final class Server implements ExtensionContext.Store.CloseableResource {
        public static final String BUCKET = "detcon-test";
        public static final String ACCESS_KEY = "detcon-test-access";
        public static final String SECRET_KEY = "detcon-test-secret-Zq81x";

        private final S3Proxy proxy;
        private final Path dir;
        private final URI endpoint;

        private Server(S3Proxy proxy, Path dir, URI endpoint) {
            this.proxy = proxy;
            this.dir = dir;
            this.endpoint = endpoint;
        }

        static Server start() {
            Path dir = null;
            S3Proxy proxy = null;
            try {
                dir = Files.createTempDirectory("detcon-s3proxy-");
                proxy = S3Proxy.builder()
                        .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                        .endpoint(URI.create("http://127.0.0.1:0"))
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .build();
                proxy.start();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!"STARTED".equals(proxy.getState())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
                    }
                    Thread.sleep(10);
                }
                Server s = new Server(proxy, dir, URI.create("http://127.0.0.1:" + proxy.getPort()));
                try (S3Client c = S3ObjectStore.buildClient(s.config())) {
                    c.createBucket(b -> b.bucket(BUCKET));
                }
                return s;
            } catch (Exception | LinkageError e) { // LinkageError: a classpath problem (e.g. Jackson versions)
                if (proxy != null) {
                    try {
                        proxy.stop();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                deleteQuietly(dir);
                throw new IllegalStateException("could not start s3proxy for the tests", e);
            }
        }

        public URI endpoint() {
            return endpoint;
        }

        /** Config for this server: endpoint, path style, explicit test credentials, the smallest part size. */
        public S3Config config() {
            return new S3Config(endpoint, "us-east-1", true,
                    S3Config.Credentials.of(ACCESS_KEY, SECRET_KEY, null), S3Config.MIN_PART_SIZE);
        }

        /** The filesystem directory behind the store (for checks that nothing is left behind). */
        public Path dataDir() {
            return dir;
        }

        @Override
        public void close() throws Exception {
            try {
                proxy.stop();
            } finally {
                deleteQuietly(dir);
            }
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null || !Files.exists(dir)) {
                return;
            }
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                        Files.delete(f);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
