package org.detcon.trainer.run.listener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.store.LocalObjectStore;
import org.detcon.core.store.ObjectStore;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/**
 * The run's {@code metrics.jsonl} in its output store: one JSON object every {@code output.log_every} steps and at
 * the last step (step, epoch, loss, lr, ema_tau, img_per_s, data_wait, bad_samples, bad_shards). Opening drops the
 * lines of steps at or after the step the run resumes from (left by a run that stopped after its last checkpoint)
 * and a torn last line. On a local store each line is appended and flushed at once (so {@code tail -f} follows
 * the run); an object store has no append, so there the whole object is republished every
 * {@code output.checkpoint_every} steps (before the checkpoint of that step) and at the end.
 */
public final class MetricsLogger implements TrainingListener {

    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectStore store;
    private List<String> lines;
    private BufferedWriter local;
    private boolean dirty;

    @Override
    public void onTrainingBegin(TrainingContext ctx) throws IOException {
        store = ctx.output();
        List<String> keep = new ArrayList<>();
        if (store.exists(FILE)) {
            String text = new String(store.readAllBytes(FILE), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) < ctx.startStep()) {
                        keep.add(line);
                    }
                } catch (IOException e) {
                    // a torn last line: drop it
                }
            }
        }
        store.write(FILE, join(keep));
        if (store instanceof LocalObjectStore l) {
            local = Files.newBufferedWriter(l.path(FILE), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } else {
            lines = keep;
        }
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) throws IOException {
        if (r.done() % ctx.config().output().logEvery() == 0 || r.last()) {
            ObjectNode o = JSON.createObjectNode();
            o.put("step", r.step());
            o.put("epoch", r.next().epoch());
            o.put("loss", r.loss());
            o.put("lr", r.lr());
            if (!Double.isNaN(r.emaTau())) {
                o.put("ema_tau", r.emaTau());
            }
            o.put("img_per_s", round(r.imgPerSec()));
            o.put("data_wait", round(r.dataWait()));
            o.put("bad_samples", r.data().badSamples());
            o.put("bad_shards", r.data().badShards());
            append(JSON.writeValueAsString(o));
        }
        if (r.done() % ctx.config().output().checkpointEvery() == 0 || r.last()) {
            publish();
        }
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    private void append(String jsonLine) throws IOException {
        if (local != null) {
            local.write(jsonLine);
            local.newLine();
            local.flush();
        } else {
            lines.add(jsonLine);
            dirty = true;
        }
    }

    /** Makes every appended line visible in the store. */
    private void publish() throws IOException {
        if (local == null && dirty) {
            store.write(FILE, join(lines));
            dirty = false;
        }
    }

    @Override
    public void close() throws IOException {
        if (local != null) {
            local.close();
            local = null;
        } else if (store != null) {
            publish();
        }
    }

    private static byte[] join(List<String> lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
