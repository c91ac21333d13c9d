package org.detcon.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/**
 * The training samples a fine-tuning run (dense tasks and the detector) skipped, each with the reason (one line naming the file), kept in
 * {@code skipped.json} of the run's output: loaded when the run (re)starts and rewritten before each checkpoint,
 * so a resumed run still lists what was skipped before it was interrupted. A bad sample is skipped again in every
 * epoch; it is listed once.
 */
public final class SkippedSamples implements TrainingListener {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, String> samples = new TreeMap<>();
    private boolean dirty;

    /** Records a skipped sample (from the data source's threads). */
    public synchronized void add(String id, String reason) {
        if (samples.putIfAbsent(id, reason) == null) {
            dirty = true;
        }
    }

    @Override
    public void onTrainingBegin(TrainingContext ctx) throws IOException {
        ObjectStore out = ctx.output();
        if (out.exists(FinetuneJob.SKIPPED)) {
            for (JsonNode n : JSON.readTree(out.readAllBytes(FinetuneJob.SKIPPED)).path("samples")) {
                add(n.path("id").asText(), n.path("reason").asText());
            }
        }
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (r.done() % ctx.settings().output().checkpointEvery() == 0 || r.last()) {
            write(ctx.output());
        }
    }

    private synchronized void write(ObjectStore out) throws IOException {
        if (dirty) {
            ObjectNode o = JSON.createObjectNode();
            writeInto(o);
            out.write(FinetuneJob.SKIPPED, JSON.writeValueAsBytes(o.get("skipped_samples")));
            dirty = false;
        }
    }

    /** Adds {@code skipped_samples: {count, samples: [{id, reason}]}} to a result. */
    public synchronized void writeInto(ObjectNode result) {
        ObjectNode s = result.putObject("skipped_samples");
        s.put("count", samples.size());
        ArrayNode list = s.putArray("samples");
        samples.forEach((id, reason) -> list.addObject().put("id", id).put("reason", reason));
    }
}
