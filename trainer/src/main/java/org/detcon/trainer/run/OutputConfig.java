package org.detcon.trainer.run;

/**
 * Where a training run writes and how often: the output URI (local path, file: or s3:// URI), the checkpoint
 * interval in steps, the checkpoints kept, the metrics interval. Shared by pretraining ({@code output:} of a train
 * config) and fine-tuning; invalid values are {@link ConfigException}s naming the field.
 */
public record OutputConfig(String uri, long checkpointEvery, int keepCheckpoints, long logEvery) {

    public OutputConfig {
        check(uri != null && !uri.isBlank(), "output.uri", "is required");
        check(checkpointEvery >= 1, "output.checkpoint_every", "must be >= 1");
        check(logEvery >= 1, "output.log_every", "must be >= 1");
        check(keepCheckpoints >= 1, "output.keep_checkpoints", "must be >= 1");
    }

    /** The same settings writing to {@code other}. */
    public OutputConfig withUri(String other) {
        return new OutputConfig(other, checkpointEvery, keepCheckpoints, logEvery);
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new ConfigException(field + ": " + message);
        }
    }
}
