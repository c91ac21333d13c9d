package org.detcon.segmentation.pipeline;

import java.io.IOException;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.detcon.core.store.ObjectStore;

/**
 * A DoFn that reads or writes one object store: opened with the job's {@link StoreOptions} when its first bundle
 * starts (a DoFn's setup cannot see the pipeline options), kept for the DoFn's life, closed at teardown.
 */
abstract class StoreDoFn<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    private final String storeUri;
    transient ObjectStore store;

    StoreDoFn(String storeUri) {
        this.storeUri = storeUri;
    }

    @StartBundle
    public void openStore(PipelineOptions options) {
        if (store == null) {
            store = PipelineStores.open(storeUri, options);
        }
    }

    @Teardown
    public void closeStore() throws IOException {
        if (store != null) {
            store.close();
        }
    }
}
