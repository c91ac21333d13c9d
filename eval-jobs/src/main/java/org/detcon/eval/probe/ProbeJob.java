package org.detcon.eval.probe;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.finetune.Datasets;
import org.detcon.eval.finetune.Task;
import org.detcon.eval.registry.EvalJob;
import org.detcon.eval.registry.Settings;
import org.detcon.trainer.checkpoint.BackboneExport;

/**
 * The frozen-feature linear probes ({@link FrozenProbes}) as a registered evaluation, {@code probe}: semantic
 * segmentation on a VOC layout (train list → val list) and depth on NYU data ({@link #probe}), as {@code detcon
 * data synth} writes them or in their real layouts. Settings: {@code input} (the backbone's input side, a multiple of 32),
 * {@code train} / {@code val} (images used, 0 = all), {@code lambda} (relative ridge strength), {@code batch}.
 * The number of classes comes from {@code ROOT/synth.json} when there is one, else VOC's 21. A root with only one
 * of the two datasets gets the other's metrics as null.
 */
public final class ProbeJob implements EvalJob {

    public static final String NAME = "probe";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "frozen-feature linear probes: segmentation mIoU (VOC layout) and depth delta<1.25 (NYU layout)";
    }

    @Override
    public ObjectNode resolve(JsonNode settings) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("input", 192).put("train", 300).put("val", 200).put("lambda", 1e-3).put("batch", 16);
        ObjectNode s = Settings.resolve(NAME, d, settings);
        if (s.get("input").asInt() <= 0 || s.get("input").asInt() % 32 != 0) {
            throw new IllegalArgumentException(NAME + ".input: must be a positive multiple of 32, got "
                    + s.get("input"));
        }
        if (s.get("train").asInt() < 0 || s.get("val").asInt() < 0 || s.get("batch").asInt() < 1
                || !(s.get("lambda").asDouble() > 0)) {
            throw new IllegalArgumentException(NAME + ": train and val must be >= 0, batch >= 1, lambda > 0");
        }
        return s;
    }

    @Override
    public List<Metric> metrics() {
        return List.of(new Metric("miou", "segmentation mIoU (%)", true, true),
                new Metric("pixel_accuracy", "segmentation pixel accuracy (%)", true, true),
                new Metric("delta1", "depth δ<1.25 (%)", true, true),
                new Metric("abs_rel", "depth abs. rel. error", false, false),
                new Metric("rmse", "depth RMSE (m)", false, false));
    }

    /**
     * The probes' result on {@code root}: segmentation on its VOC layout ({@code VOC2012/} or the folder itself;
     * train → val) and depth on its NYU data (the PNG export's train → val, or the labelled .mat's train → test
     * lists), each when present; at least one must be.
     */
    public ProbeResult probe(String backboneUri, Path root, ObjectNode s) throws IOException {
        return probe(backboneUri, root, s, Device.cpu());
    }

    /** As above, the backbone on {@code device} (the probes' fitting is plain Java). */
    public ProbeResult probe(String backboneUri, Path root, ObjectNode s, Device device) throws IOException {
        Path voc = Datasets.vocRoot(root);
        boolean nyu = Datasets.hasNyu(root, "train");
        if (voc == null && !nyu) {
            throw new IOException(root + " is not a probe dataset: it needs a VOC layout (VOC2012/ or JPEGImages/)"
                    + " or NYU depth (nyu/{train,val}/, {train,val}/ or " + Datasets.NYU_MAT + "); make one with"
                    + " detcon data synth");
        }
        FrozenProbes.Config cfg = new FrozenProbes.Config(s.get("input").asInt(), s.get("lambda").asDouble(),
                s.get("train").asInt(), s.get("val").asInt(), s.get("batch").asInt(),
                Datasets.classes(Task.VOC_SEG, root));
        String nyuVal = Datasets.nyuPngRoot(root, "train") != null ? "val" : "test";
        DepthDataset depthTrain = nyu ? Datasets.depth(root, "train") : null;
        DepthDataset depthVal = nyu ? Datasets.depth(root, nyuVal) : null;
        try {
            return FrozenProbes.run(backboneUri,
                    voc == null ? null : Datasets.segmentation(Task.VOC_SEG, root, "train"),
                    voc == null ? null : Datasets.segmentation(Task.VOC_SEG, root, "val"), depthTrain, depthVal, cfg,
                    device);
        } finally {
            for (DepthDataset d : new DepthDataset[] {depthTrain, depthVal}) {
                if (d instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // read-only
                    }
                }
            }
        }
    }

    @Override
    public Map<String, Double> run(String backboneUri, Path dataRoot, ObjectNode settings, Path out)
            throws IOException {
        long t0 = System.nanoTime();
        ProbeResult r = probe(backboneUri, dataRoot, settings);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("miou", r.miou());
        m.put("pixel_accuracy", r.pixelAccuracy());
        m.put("delta1", r.delta1());
        m.put("abs_rel", r.absRel());
        m.put("rmse", r.rmse());
        ObjectNode result = JSON.createObjectNode();
        result.put("task", NAME);
        ObjectNode metrics = result.putObject("metrics");
        m.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                metrics.put(k, v);
            } else {
                metrics.putNull(k);
            }
        });
        result.set("config", settings);
        result.put("config_sha256", ContentHash.configHash(settings));
        result.put("backbone", backboneUri);
        try (ObjectStore store = ObjectStores.open(backboneUri)) {
            result.put("backbone_sha256", BackboneExport.descriptor(store).sha256());
        }
        result.put("data", dataRoot.toString());
        result.put("grid", r.grid()).put("train_images", r.trainImages()).put("val_images", r.valImages());
        result.put("seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        Files.createDirectories(out);
        Path tmp = out.resolve("result.json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(result));
        Files.move(tmp, out.resolve("result.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return m;
    }
}
