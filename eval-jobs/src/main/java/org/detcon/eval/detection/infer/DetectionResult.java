package org.detcon.eval.detection.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.detcon.core.store.ObjectStore;

/**
 * {@code result.json} of a COCO detection evaluation: {@code bbox} and {@code segm} each as
 * {@code detcon eval coco-metrics --json} writes them ({@code iou_type}, the 12 {@code stats}, {@code per_category}
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

    public static ObjectNode json(CocoDetectionEvaluation.Output out, Provenance p) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("task", p.task());
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
