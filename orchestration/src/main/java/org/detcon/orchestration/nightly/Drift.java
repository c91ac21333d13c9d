package org.detcon.orchestration.nightly;

import java.util.List;
import java.util.Map;

/**
 * The comparison of a nightly run with its baseline: PASS, DRIFT or ERROR; whether it was exact (same platform
 * fingerprint) or within bands (and which fingerprint fields differ); every check; the first pipeline step that
 * drifted (masks → pretrain → eval).
 */
public record Drift(Status status, boolean exact, Map<String, String[]> fingerprintDifferences, List<Check> checks,
        String firstDriftedStage) {

    /** Overall result; the exit status of {@code detcon nightly run|check}: 0, 3, 1. */
    public enum Status {
        PASS(0), DRIFT(3), ERROR(1);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /**
     * One check. {@code stage}: masks, pretrain, eval or perf; {@code result}: PASS, DRIFT, WARN (speed, memory, or
     * what bands cannot judge), SKIP (not comparable across platforms) or ERROR; {@code firstStep}: for a loss
     * curve, the first training step that left the band (or differed, when exact).
     */
    public record Check(String stage, String cell, String metric, String baseline, String current, String difference,
            String tolerance, String result, Long firstStep, String note) {
    }
}
