package org.detcon.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.detcon.core.hash.ContentHash;

/**
 * Whole trees of objects (a store's keys, or those under a prefix): copy, delete, and the content hash of a tree,
 * the same whether the store is a local folder or an {@code s3://} prefix; and a tree's trips between a URI and a
 * local folder (code that reads or writes local files staging what it reads from, or writes to, an object store).
 */
public final class ObjectTrees {

    private ObjectTrees() {
    }

    /** Copies every object of {@code from} to the same key in {@code to} (each published atomically); the count. */
    public static int copy(ObjectStore from, ObjectStore to) throws IOException {
        List<String> keys = from.list("");
        for (String k : keys) {
            try (InputStream in = from.openRead(k)) {
                to.write(k, out -> in.transferTo(out));
            }
        }
        return keys.size();
    }

    /** Deletes every object of {@code store}; the count. */
    public static int deleteAll(ObjectStore store) throws IOException {
        List<String> keys = store.list("");
        for (String k : keys) {
            store.delete(k);
        }
        return keys.size();
    }

    /**
     * The content hash of a tree: sha256 over its sorted keys each with its object's sha256 ({@code key\tsha\n}
     * lines), so two stores with the same keys and bytes hash alike wherever they are. {@code keys} must be
     * {@code store.list("")} or a sorted subset of it.
     */
    public static String hash(ObjectStore store, List<String> keys) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            try (InputStream in = store.openRead(k)) {
                sb.append(k).append('\t').append(ContentHash.sha256Hex(in)).append('\n');
            }
        }
        return ContentHash.sha256Hex(sb.toString());
    }

    /**
     * Copies the tree at {@code uri} (a path or URI) to the local folder {@code local}, which must not exist:
     * complete or not at all (written beside it, then renamed). A {@code uri} holding nothing is an
     * {@link IOException} naming it. The count of objects.
     */
    public static int download(String uri, Path local) throws IOException {
        Path parent = local.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, ".download-");
        try (ObjectStore from = ObjectStores.open(uri); ObjectStore to = new LocalObjectStore(tmp)) {
            int n = copy(from, to);
            if (n == 0) {
                throw new IOException(uri + " is empty or does not exist");
            }
            Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } finally {
            FileTrees.delete(tmp);
        }
    }

    /** Copies the local folder {@code local} to the same keys under {@code uri} (a path or URI); the count. */
    public static int upload(Path local, String uri) throws IOException {
        try (ObjectStore from = new LocalObjectStore(local); ObjectStore to = ObjectStores.open(uri)) {
            return copy(from, to);
        }
    }

    /** Removes everything at {@code uri}: a local folder with what is under it, or every object of a URI's tree. */
    public static void clear(String uri) throws IOException {
        Path local = ObjectStores.localPath(uri);
        if (local != null) {
            FileTrees.delete(local);
            return;
        }
        try (ObjectStore store = ObjectStores.open(uri)) {
            deleteAll(store);
        }
    }
}
