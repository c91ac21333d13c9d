package org.detcon.trainer.data;

import java.util.Objects;

/**
 * How the shard loader reads a dataset.
 *
 * @param uri           dataset root (any object-store URI; it holds {@code _manifest.json} and the shards)
 * @param maskSet       mask set to train on ({@code fh-s1000}, {@code gt}, {@code grid-5}); null when the method
 *                      needs none (BYOL, SimCLR)
 * @param gridFallback  n > 0: an n×n grid for samples without the mask set; 0: such samples are skipped
 * @param shuffleBuffer samples held for shuffling (across the interleaved shards)
 * @param interleave    shards read at once, round robin
 * @param threads       decode + augmentation threads
 * @param prefetch      batches prepared ahead of the trainer (memory: each holds 2 float views per image, 1.2 MB
 *                      per image at 224 px, i.e. 4.9 GB for a batch of 4096)
 */
public record LoaderConfig(String uri, String maskSet, int gridFallback, int shuffleBuffer, int interleave,
        int threads, int prefetch) {

    public LoaderConfig {
        Objects.requireNonNull(uri, "uri");
        if (gridFallback < 0 || shuffleBuffer < 1 || interleave < 1 || threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("need gridFallback >= 0 and shuffleBuffer, interleave, threads,"
                    + " prefetch >= 1");
        }
    }
}
