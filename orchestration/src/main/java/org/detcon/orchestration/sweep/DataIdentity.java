package org.detcon.orchestration.sweep;

import java.io.IOException;
import java.util.List;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;

/**
 * Content identities of data a sweep does not make itself: a shard dataset is named by its manifest's shard list
 * ({@link DatasetManifest#contentHash()}); any other folder (images for a mask step, an evaluation dataset) by the
 * listing of its files with their sizes, which is cheap on millions of files and on object stores (a file rewritten
 * with other bytes of the same size is not noticed: give such data a new location).
 */
final class DataIdentity {

    private DataIdentity() {
    }

    static String shards(String uri) throws IOException {
        try (ObjectStore store = ObjectStores.open(uri)) {
            if (!store.exists(DatasetManifest.FILE_NAME)) {
                throw new IOException(uri + " has no " + DatasetManifest.FILE_NAME + ": not a shard dataset (make one"
                        + " with detcon masks run, or add a masks: step)");
            }
            return DatasetManifest.read(store).contentHash();
        }
    }

    static String listing(String uri) throws IOException {
        try (ObjectStore store = ObjectStores.open(uri)) {
            List<String> keys = store.list("");
            if (keys.isEmpty()) {
                throw new IOException(uri + " is empty or does not exist");
            }
            StringBuilder sb = new StringBuilder();
            for (String k : keys) {
                sb.append(k).append('\t').append(store.size(k)).append('\n');
            }
            return ContentHash.sha256Hex(sb.toString());
        }
    }
}
