package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep file, read and checked ({@link SweepFileReader}): a base training config, axes (dotted paths into it, each
 * with its values) whose cartesian product times the seeds makes the cells, exclusions, an optional data step
 * (generated data or a URI), an optional mask step over it, the evaluations by name, the pretraining steps whose
 * backbones are evaluated too, the report's layout and the retry count.
 *
 * @param base        the base config's YAML tree (from its file, or written inline)
 * @param baseSource  where the base came from (a file, or "FILE (inline base)")
 * @param grid        axis path → values, in file order
 * @param exclude     each rule: axis path → value; a cell matching every entry of a rule is left out
 * @param evalAtSteps pretraining steps whose exported backbones are evaluated too (the final step always is)
 */
public record SweepFile(Path file, String name, String description, ObjectNode base, String baseSource,
        List<Long> seeds, LinkedHashMap<String, List<JsonNode>> grid, List<Map<String, JsonNode>> exclude, Data data,
        Masks masks, List<Eval> evals, List<Long> evalAtSteps, Report report, int retries) {

    /** The data step: generated scenes ({@code synth}) or a dataset URI (images for a mask step, else shards). */
    public record Data(Synth synth, String uri) {
        public boolean generated() {
            return synth != null;
        }
    }

    /** {@code detcon data synth}'s parameters. */
    public record Synth(int images, int valImages, int size, long seed) {
    }

    /** The mask step: mask sets as {@code detcon masks run --masks} writes them, the runner and its parallelism. */
    public record Masks(List<String> sets, String runner, int parallelism) {
    }

    /**
     * An evaluation by registered name with its settings (null: the eval's defaults) and its dataset (null: the
     * sweep's generated data).
     */
    public record Eval(String name, JsonNode settings, String dataRoot) {
    }

    /** The report table: row axes, {@code EVAL.KEY} columns, how seeds are aggregated, a title. */
    public record Report(List<String> rows, List<String> columns, String aggregate, String title) {
    }
}
