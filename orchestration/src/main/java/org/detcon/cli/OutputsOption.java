package org.detcon.cli;

import org.detcon.core.store.s3.S3Uri;
import picocli.CommandLine.Option;

/**
 * {@code --outputs s3://BUCKET/PREFIX}, the option of the commands that run or read a sweep (a picocli mixin):
 * every step's output goes under this object store prefix instead of the working directory's {@code steps/}.
 */
public final class OutputsOption {

    @Option(names = "--outputs", paramLabel = "s3://BUCKET/PREFIX",
            description = "Keep the step outputs (data, shards, checkpoints, backbones, eval results) under this"
                    + " object store prefix instead of WORKDIR/steps/ (same relative folders); the run store, reports"
                    + " and logs stay in the working directory. Needed with --service unless --service-shared-fs.")
    String outputs;

    /** The prefix given, checked (a usage error unless an {@code s3://BUCKET/PREFIX} URI), or null for none. */
    public String uri() {
        if (outputs == null) {
            return null;
        }
        if (!S3Uri.isS3(outputs)) {
            throw new UsageException("--outputs " + outputs + ": give an s3://BUCKET/PREFIX URI (local step outputs"
                    + " go under --workdir)");
        }
        try {
            S3Uri.parse(outputs);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--outputs: " + e.getMessage());
        }
        return outputs;
    }
}
