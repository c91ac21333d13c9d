package org.detcon.orchestration.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.shard.DatasetManifest;
import org.detcon.core.shard.ShardInfo;
import org.detcon.core.shard.ShardReader;
import org.detcon.core.shard.ShardSample;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.orchestration.runs.OutputLocation;
import org.detcon.orchestration.runs.StepRunner;
import org.detcon.orchestration.sweep.Cell;
import org.detcon.orchestration.sweep.StepWork;
import org.detcon.orchestration.sweep.SweepEngine;
import org.detcon.orchestration.sweep.SweepPlan;
import org.detcon.orchestration.sweep.SweepResults;
import org.detcon.trainer.checkpoint.BackboneExport;
import org.detcon.trainer.run.TrainingRun;

/** Reads what a finished sweep run produced into an {@link Observation}. */
final class Observer {

    private Observer() {
    }

    /** The cell's key in observations and baselines: its axis values and seed ({@code method=byol seed=1}). */
    static String cellKey(Cell c) {
        return c.label();
    }

    static Observation observe(SweepPlan plan, SweepResults results, SweepEngine.Outcome outcome, Fingerprint fp,
            String codeVersion, Instant started, Path report) throws IOException {
        Map<String, String> shards = new TreeMap<>();
        String masksKey = null;
        if (plan.masks() != null) {
            masksKey = plan.masks().key();
            if (results.masks() != null && results.masks().done()) {
                shards = shardDigests(plan.outputOf(plan.masks()));
            }
        }
        Map<String, Observation.CellObservation> cells = new TreeMap<>();
        for (SweepResults.CellResult c : results.cells()) {
            Map<String, Double> metrics = new TreeMap<>();
            Map<String, String> backbones = new TreeMap<>();
            for (SweepResults.EvalState e : c.evals()) {
                e.state().metrics().forEach((k, v) -> metrics.put(e.target().eval() + "." + k + "@" + e.step(), v));
            }
            double imgPerSec = Double.NaN;
            double rss = Double.NaN;
            if (c.pretrain().done()) {
                for (Map.Entry<String, String> o : c.pretrain().outputs().entrySet()) {
                    if (o.getKey().startsWith("backbone")) {
                        String dir = StepRunner.resolve(plan.workdir(), o.getValue());
                        long step = o.getKey().equals(StepWork.backboneOutput(SweepPlan.FINAL)) ? c.totalSteps()
                                : Long.parseLong(o.getKey().substring("backbone@".length()));
                        try (ObjectStore st = ObjectStores.open(dir)) {
                            backbones.put(Long.toString(step), BackboneExport.descriptor(st).sha256());
                        }
                    }
                }
                imgPerSec = meanImgPerSec(OutputLocation.resolve(plan.outputOf(plan.pretrainOf(c.cell())),
                        TrainingRun.METRICS_FILE));
                rss = c.pretrain().metrics().getOrDefault("peak_rss_mib", Double.NaN);
            }
            cells.put(cellKey(c.cell()), new Observation.CellObservation(c.cell().hash(), c.pretrain().status(),
                    c.pretrain().error(), c.loss(), metrics, backbones, imgPerSec, rss));
        }
        byte[] sweepBytes = Files.readAllBytes(plan.file().file());
        return new Observation(Observation.FORMAT, plan.file().name(), plan.file().file().toAbsolutePath().toString(),
                ContentHash.sha256Hex(sweepBytes), codeVersion, fp, started.toString(), outcome.seconds(),
                plan.workdir().toString(), outcome.runId(), report == null ? null : report.toString(),
                outcome.failures(), new Observation.Data(masksKey, shards), cells);
    }

    /**
     * Per shard, sha256 over its image and label-map members (sorted "name sha256" lines); the per-sample JSON
     * metadata is left out (it names the source paths).
     */
    static Map<String, String> shardDigests(String uri) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (ObjectStore store = ObjectStores.open(uri)) {
            for (ShardInfo s : DatasetManifest.read(store).shards()) {
                List<String> lines = new ArrayList<>();
                try (ShardReader r = ShardReader.open(store, s.name())) {
                    while (r.hasNext()) {
                        ShardSample sample = r.next();
                        lines.add(sample.imageName() + " " + ContentHash.sha256Hex(sample.image()));
                        sample.maskFiles().forEach((name, bytes) -> lines.add(sample.key() + "." + name + " "
                                + ContentHash.sha256Hex(bytes)));
                    }
                }
                lines.sort(null);
                out.put(s.name(), ContentHash.sha256Hex(String.join("\n", lines)));
            }
        }
        return out;
    }

    private static double meanImgPerSec(String metrics) throws IOException {
        Optional<byte[]> bytes = ObjectStores.read(metrics);
        if (bytes.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = Observation.JSON.readTree(line);
            if (o.has("img_per_s")) {
                sum += o.get("img_per_s").asDouble();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
