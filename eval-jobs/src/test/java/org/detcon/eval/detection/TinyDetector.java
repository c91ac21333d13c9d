package org.detcon.eval.detection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.detcon.eval.detection.data.CocoDetectionData;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.data.DetectionSample;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.finetune.BackboneMode;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.SgdConfig;
import org.detcon.trainer.schedule.LinearWarmup;
import org.detcon.trainer.schedule.StepDecaySchedule;

/** A detector small enough for unit tests: ResNet-18, 64 px, narrow FPN and heads, small samples. */
public final class TinyDetector {

    private TinyDetector() {
    }

    public static MaskRcnnConfig model(int numClasses, BackboneMode mode) {
        return new MaskRcnnConfig(numClasses, 32, List.of(8, 16, 32, 64, 128), List.of(0.5, 1.0, 2.0),
                new MaskRcnnConfig.Rpn(300, 200, 150, 100, 0.7, 0.7, 0.3, 64, 0.5),
                new MaskRcnnConfig.RoiHeads(7, 14, 2, false, 64, 2, 16, 0.5, 0.5, 64, 0.25, 0.05, 0.5, 20), mode);
    }

    /** 100 steps at {@code lr} after a 2-step warmup from 0.1×. */
    public static DetectorTrainConfig train(int numClasses, BackboneMode mode, double lr, int batch) {
        return new DetectorTrainConfig(new ResNetConfig(18, 1), model(numClasses, mode), 64, batch,
                new SgdConfig(0.9, 1e-4), new LinearWarmup(new StepDecaySchedule(lr, 100, new long[] {1000}, 0.1),
                        2, 0.1), 3);
    }

    /** The training samples of images {@code first .. first + n − 1} of {@code data}'s training images. */
    public static DetectionBatch batch(CocoDetectionData data, int first, int n, boolean flip) throws IOException {
        List<DetectionSample> samples = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            samples.add(data.trainSample(data.trainImages().get(i % data.trainImages().size()), flip));
        }
        return new DetectionBatch(samples, data.transform().inputSize());
    }
}
