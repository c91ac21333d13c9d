package org.detcon.core.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link ObjectStore} over a local directory. Writes go to a hidden temporary file in the target's own
 * directory ({@code .NAME.RANDOM.tmp}), are fsynced, then renamed over the target atomically, so a reader
 * listing the directory sees either nothing or the complete object.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final String TMP_SUFFIX = ".tmp";
    private static final int BUFFER = 64 * 1024;

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The local file of a key (it need not exist). */
    public Path path(String key) {
        return root.resolve(ObjectStore.checkKey(key));
    }

    /** {@code file:///abs/path}, without a trailing slash whether or not the directory exists yet. */
    @Override
    public String uri() {
        String u = root.toUri().toString();
        return u.endsWith("/") && root.getParent() != null ? u.substring(0, u.length() - 1) : u;
    }

    @Override
    public String uri(String key) {
        return path(key).toUri().toString();
    }

    @Override
    public InputStream openRead(String key) throws IOException {
        Path p = path(key);
        if (Files.isDirectory(p)) {
            throw new NoSuchFileException(p.toString(), null, "is a directory, not an object");
        }
        return new BufferedInputStream(Files.newInputStream(p), BUFFER);
    }

    @Override
    public AtomicOutputStream create(String key) throws IOException {
        Path target = path(key);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        String rand = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        Path tmp = dir.resolve("." + target.getFileName() + "." + rand + TMP_SUFFIX);
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new LocalAtomicOutputStream(key, target, tmp, ch);
    }

    /** True for the temporary files of in-progress writes. */
    static boolean isTemporary(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".") && n.endsWith(TMP_SUFFIX);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null (use \"\" for all keys)");
        }
        // start the walk at the deepest directory the prefix names
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(ObjectStore.checkKey(prefix.substring(0, slash)));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isTemporary(file)) {
                    String key = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    if (key.startsWith(prefix)) {
                        keys.add(key);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        keys.sort(null);
        return keys;
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(path(key));
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(path(key));
    }

    @Override
    public String toString() {
        return "LocalObjectStore[" + root + "]";
    }

    private static final class LocalAtomicOutputStream extends AtomicOutputStream {
        private final String key;
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean failed;
        private boolean done;
        private boolean published;

        LocalAtomicOutputStream(String key, Path target, Path tmp, FileChannel channel) {
            this.key = key;
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.out = Channels.newOutputStream(channel);
        }

        private void checkOpen() throws IOException {
            if (done) {
                throw new IOException("stream for " + target + " is already " + (published ? "published" : "aborted"));
            }
        }

        @Override
        public void write(int b) throws IOException {
            checkOpen();
            try {
                out.write(b);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkOpen();
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            if (failed) {
                abort();
                throw new IOException("not published: an earlier write to " + tmp + " failed; nothing written to "
                        + target);
            }
            done = true;
            try {
                channel.force(true);
                channel.close();
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException("file system cannot rename atomically onto " + target, e);
                }
                published = true;
            } catch (IOException | RuntimeException e) {
                closeQuietly();
                deleteTmp(e);
                throw e;
            }
        }

        @Override
        public void abort() throws IOException {
            if (published) {
                return;
            }
            done = true;
            closeQuietly();
            Files.deleteIfExists(tmp);
        }

        private void closeQuietly() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the temp file is deleted next; nothing else to release
            }
        }

        private void deleteTmp(Exception e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
        }

        @Override
        public boolean isPublished() {
            return published;
        }

        @Override
        public String key() {
            return key;
        }
    }
}
