package org.detcon.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.detcon.core.hash.ContentHash;

/**
 * Whole trees of objects (a store's keys, or those under a prefix): copy, delete, and the content hash of a tree,
 * the same whether the store is a local folder or an {@code s3://} prefix.
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
}
