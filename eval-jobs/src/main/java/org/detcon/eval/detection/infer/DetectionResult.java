package org.detcon.eval.detection.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.eval.coco.job.CocoMetricsResult;

/**
 * {@code result.json} of a COCO detection evaluation: {@code metrics} ({@link #metrics}), {@code bbox} and
 * {@code segm} each as {@code detcon eval coco-metrics --json} writes them ({@code iou_type}, the 12 {@code stats}, {@code per_category}
 * AP), with the run's identity (task, config hash, backbone and detector sha256, iterations) and cost (images,
 * detections, seconds, device).
 */
public final class DetectionResult {

    public static final String FILE = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DetectionResult() {
    }

    /** Identity of the evaluated detector. */
    public record Provenance(String task, String configHash, String backboneSha256, String detectorSha256,
            long iterations, String device) {
    }

    /**
     * The headline numbers as fractions in [0, 1] (what the eval registry reports and sweeps compare):
     * {@code bbox_ap} (AP at IoU 0.50:0.95), {@code bbox_ap50}, {@code bbox_ap75}, and the same for {@code segm}.
     */
    public static Map<String, Double> metrics(CocoDetectionEvaluation.Output out) {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "bbox", out.bbox());
        put(m, "segm", out.segm());
        return m;
    }

    private static void put(Map<String, Double> m, String prefix, CocoMetricsResult r) {
        double[] s = r.stats();
        m.put(prefix + "_ap", s[0]);
        m.put(prefix + "_ap50", s[1]);
        m.put(prefix + "_ap75", s[2]);
    }

    /** The device (Mask R-CNN runs on the CPU) and PyTorch's intra-op threads, for {@code result.json}. */
    public static String device() {
        return "cpu, " + System.getProperty("ai.djl.pytorch.num_threads", "default") + " PyTorch threads";
    }

    public static ObjectNode json(CocoDetectionEvaluation.Output out, Provenance p) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", p.task());
        ObjectNode metrics = root.putObject("metrics");
        metrics(out).forEach(metrics::put);
        root.put("metrics_units", "fractions in [0, 1] (COCO AP; -1 where COCOeval finds no ground truth)");
        root.set("bbox", JSON.readTree(out.bbox().toJson()));
        root.set("segm", JSON.readTree(out.segm().toJson()));
        root.put("config_hash", p.configHash());
        root.put("backbone_sha256", p.backboneSha256());
        root.put("detector_sha256", p.detectorSha256());
        root.put("iterations", p.iterations());
        root.put("images", out.images());
        root.put("detections", out.detections());
        root.put("eval_seconds", out.seconds());
        root.put("device", p.device());
        return root;
    }

    public static void write(ObjectStore store, CocoDetectionEvaluation.Output out, Provenance p) throws IOException {
        store.write(FILE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json(out, p)));
    }
}
