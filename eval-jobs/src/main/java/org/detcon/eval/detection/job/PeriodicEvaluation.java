package org.detcon.eval.detection.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.infer.CocoDetectionEvaluation;
import org.detcon.eval.detection.infer.DetectionResult;
import org.detcon.eval.detection.train.MaskRcnnTrainer;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/**
 * {@code eval.every: N}: the detector evaluated on the val split every N steps before the end (the end's evaluation
 * is the job's), one line per evaluation appended to {@code evals.jsonl}: {@code {"step": N, "bbox_ap": ..., ...}}
 * ({@link DetectionResult#metrics}). Inference leaves the training state alone (batch norm in inference mode, no
 * randomness), so the run's losses are those of a run without it.
 */
final class PeriodicEvaluation implements TrainingListener {

    static final String FILE = "evals.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CocoDetectionData val;
    private final long every;
    private final int batchSize;

    PeriodicEvaluation(CocoDetectionData val, long every, int batchSize) {
        this.val = val;
        this.every = every;
        this.batchSize = batchSize;
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (r.done() % every != 0 || ctx.complete(r.done())) {
            return;
        }
        MaskRcnnTrainer learner = (MaskRcnnTrainer) ctx.learner();
        CocoDetectionEvaluation.Output o = CocoDetectionEvaluation.run(learner::detect, val, batchSize, null,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        Map<String, Double> m = DetectionResult.metrics(o);
        ObjectNode line = JSON.createObjectNode().put("step", r.done());
        m.forEach(line::put);
        line.put("seconds", Math.round(o.seconds() * 100) / 100.0);
        ObjectStore out = ctx.output();
        StringBuilder all = new StringBuilder();
        if (out.exists(FILE)) { // a resumed run repeats evaluations after its checkpoint: keep the earlier ones
            for (String old : new String(out.readAllBytes(FILE), StandardCharsets.UTF_8).split("\n")) {
                if (!old.isBlank() && JSON.readTree(old).path("step").asLong() < r.done()) {
                    all.append(old).append('\n');
                }
            }
        }
        all.append(JSON.writeValueAsString(line)).append('\n');
        out.write(FILE, all.toString().getBytes(StandardCharsets.UTF_8));
        ctx.messages().accept(String.format(Locale.ROOT, "step %d: val bbox AP %.4f, segm AP %.4f (%.0f s)",
                r.done(), m.get("bbox_ap"), m.get("segm_ap"), o.seconds()));
    }
}
