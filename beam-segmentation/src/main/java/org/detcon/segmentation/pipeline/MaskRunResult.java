package org.detcon.segmentation.pipeline;

import org.detcon.core.shard.DatasetManifest;

/**
 * The outcome of a {@link MaskPipeline} run: the manifest it wrote, the number of inputs the driver counted
 * before the run (-1 when unknown), the Beam metrics and the wall time.
 */
public record MaskRunResult(MaskPipelineConfig config, DatasetManifest manifest, long expectedInputs,
                            MetricsSummary metrics, double seconds) {

    /** Whether every input counted before the run is either written or rejected. */
    public boolean countsAddUp() {
        return expectedInputs < 0 || expectedInputs == manifest.inputs();
    }

    /** The end-of-run report: counts, shards, metrics. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("inputs %d = written %d + rejected %d%s%n", manifest.inputs(), manifest.samples(),
                manifest.rejected(), expectedInputs < 0 ? "" : expectedInputs == manifest.inputs()
                        ? " (matches the " + expectedInputs + " inputs listed)"
                        : " (MISMATCH: " + expectedInputs + " inputs were listed)"));
        sb.append(String.format("shards %d, %.1f MB, config %s, %.1f s (%.2f images/s)%n", manifest.shards().size(),
                manifest.bytes() / 1e6, manifest.configSha256().substring(0, 12), seconds,
                seconds > 0 ? manifest.samples() / seconds : 0));
        sb.append(metrics.format());
        return sb.toString();
    }
}
