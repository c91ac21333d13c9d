package org.detcon.orchestration.sweep;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.detcon.core.hash.ContentHash;
import org.detcon.orchestration.runs.OutputLocation;
import org.detcon.orchestration.runs.StepRunner;

/**
 * A sweep resolved into cells and content-addressed steps, with where they are recorded (a JDBC URL; null: the
 * working directory's own store): the shared data and mask steps (null when the sweep has none), one pretraining
 * step per cell and the evaluations of each cell's exported backbones. An evaluation's key depends on the weights
 * it evaluates (so identical weights, e.g. the same initialisation, are evaluated once), so it is made when its
 * backbone exists: {@link EvalTarget#step}. Step outputs live under {@code outputs} (the working directory, or an
 * {@code s3://} prefix: {@code detcon sweep run --outputs}) at {@link PlannedStep#dir()}.
 */
public record SweepPlan(SweepFile file, Path workdir, String outputs, String storeUrl, List<Cell> cells,
        PlannedStep data, PlannedStep masks, List<PlannedStep> pretrain, List<EvalTarget> evals) {

    /** The same plan recorded in the run store at {@code url} (null: the working directory's own store). */
    public SweepPlan withStore(String url) {
        return new SweepPlan(file, workdir, outputs, url, cells, data, masks, pretrain, evals);
    }

    /** Where {@code step}'s outputs go: its folder under {@link #outputs()} (a local path or a URI). */
    public String outputOf(PlannedStep step) {
        return OutputLocation.resolve(outputs, step.dir());
    }

    /** Whether the step outputs are in the working directory (not in an object store). */
    public boolean localOutputs() {
        return OutputLocation.isLocal(outputs);
    }

    /** The final backbone ({@code backbone/}), as an eval target's step. */
    public static final long FINAL = -1;

    /**
     * An evaluation to run on a cell's backbone at {@code step} ({@link #FINAL} for the final one).
     *
     * @param settings the eval's resolved settings
     * @param dataRoot the dataset's folder (absolute path or URI)
     * @param dataId   its content identity
     * @param outputs  the plan's {@link SweepPlan#outputs()}
     */
    public record EvalTarget(int cell, String eval, ObjectNode settings, long step, String dataRoot, String dataId,
            String outputs) {

        /** The step evaluating the backbone whose weights hash to {@code weightsSha256}, found at {@code backbone}. */
        public PlannedStep step(String weightsSha256, String backbone) {
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("weights", weightsSha256);
            inputs.put("settings", ContentHash.configHash(settings));
            inputs.put("data", dataId);
            ObjectNode spec = JsonNodeFactory.instance.objectNode();
            spec.put("eval", eval);
            spec.set("settings", settings);
            spec.put("backbone", backbone);
            spec.put("data", dataRoot);
            String key = StepRunner.key("eval/" + eval, inputs);
            spec.put("out", OutputLocation.resolve(outputs, PlannedStep.dir(StepKind.EVAL, key)));
            return new PlannedStep(StepKind.EVAL, "eval/" + eval, key, inputs, spec, cell);
        }

        /** {@code probe@final}, {@code probe@25}. */
        public String label() {
            return eval + "@" + (step == FINAL ? "final" : Long.toString(step));
        }
    }

    public PlannedStep pretrainOf(Cell c) {
        return pretrain.get(c.index());
    }

    public List<EvalTarget> evalsOf(Cell c) {
        return evals.stream().filter(e -> e.cell() == c.index()).toList();
    }
}
