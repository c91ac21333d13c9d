package org.detcon.orchestration.runs;

import java.nio.file.Path;
import java.util.Map;

/**
 * One idempotent, content-addressed step: its name, its inputs as content hashes (data, config, upstream outputs)
 * and the work. The work writes its outputs (files or directories) and returns them with its metrics; it may be
 * resumable (a pretraining step continues from its last checkpoint when run again after a kill).
 */
public interface Step {

    String name();

    /** Input name → content hash; together with {@link #name()} they make the cache key. */
    Map<String, String> inputs();

    /** How the step is shown to people ({@code pretrain method=byol seed=1}); the name by default. */
    default String label() {
        return name();
    }

    Outcome execute() throws Exception;

    /** Outputs (name → local path or object store URI, see {@link OutputLocation}) and metrics. */
    record Outcome(Map<String, String> outputs, Map<String, Double> metrics) {

        /** An outcome whose outputs are local paths. */
        public static Outcome local(Map<String, Path> outputs, Map<String, Double> metrics) {
            Map<String, String> uris = new java.util.LinkedHashMap<>();
            outputs.forEach((k, v) -> uris.put(k, v.toAbsolutePath().normalize().toString()));
            return new Outcome(uris, metrics);
        }
    }
}
