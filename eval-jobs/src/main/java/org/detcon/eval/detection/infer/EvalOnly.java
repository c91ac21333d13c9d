package org.detcon.eval.detection.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.eval.detection.config.CocoMaskRcnnConfigYaml;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.CocoSplit;
import org.detcon.eval.detection.data.InputTransform;

/**
 * {@code --eval-only --weights URI}: a fine-tuned detector ({@link DetectorExport}) evaluated on the {@code val}
 * split of a COCO-layout dataset; writes {@code bbox_results.json}, {@code segm_results.json} and
 * {@code result.json} into {@code out}.
 */
public final class EvalOnly {

    private EvalOnly() {
    }

    public static CocoDetectionEvaluation.Output run(String weightsUri, Path dataRoot, String outUri, int batchSize,
            int threads) throws IOException {
        try (ObjectStore weights = ObjectStores.open(weightsUri);
             DetectorExport.Loaded detector = DetectorExport.load(weights);
             ObjectStore out = ObjectStores.open(outUri)) {
            DetectorExport.Descriptor d = detector.descriptor();
            CocoDetectionData data = new CocoDetectionData(CocoSplit.resolve(dataRoot, "val"),
                    new InputTransform(d.inputSize()));
            List<Integer> ids = data.categories().categoryIds();
            if (!ids.equals(d.categoryIds())) {
                throw new IllegalArgumentException("the detector at " + weightsUri + " was trained on categories "
                        + d.categoryIds() + " but " + data.split().annotations() + " has " + ids);
            }
            CocoDetectionEvaluation.Output o = CocoDetectionEvaluation.run(detector::detect, data, batchSize, out,
                    threads);
            DetectionResult.write(out, o, new DetectionResult.Provenance(CocoMaskRcnnConfigYaml.TASK,
                    d.configHash(), d.backboneSha256(), d.sha256(), d.step(), DetectionResult.device()));
            return o;
        }
    }
}
