package org.detcon.eval.finetune;

import java.util.Locale;
import org.detcon.trainer.run.ConfigException;

/**
 * The fine-tuning tasks, by their registered names, with the protocols' defaults (detcon-spec.md section 7a):
 * semantic segmentation on PASCAL VOC and Cityscapes (FCN on the dilated backbone, mIoU) and depth on NYU Depth
 * v2 (Laina et al.'s up-projection decoder, δ < 1.25).
 */
public enum Task {
    VOC_SEG("voc-seg", "train_aug", "val", 513, 513, 45, 0.01, 1e-4),
    CITYSCAPES_SEG("cityscapes-seg", "train", "val", 769, 769, 160, 0.01, 1e-4),
    NYU_DEPTH("nyu-depth", "train", "val", 304, 228, 0, 0.16, 5e-4);

    private final String key;
    private final String trainSplit;
    private final String valSplit;
    private final int cropWidth;
    private final int cropHeight;
    private final double epochs;
    private final double lr;
    private final double weightDecay;

    Task(String key, String trainSplit, String valSplit, int cropWidth, int cropHeight, double epochs, double lr,
            double weightDecay) {
        this.key = key;
        this.trainSplit = trainSplit;
        this.valSplit = valSplit;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        this.epochs = epochs;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    /** {@code voc-seg}, {@code cityscapes-seg}, {@code nyu-depth}. */
    public String key() {
        return key;
    }

    public boolean segmentation() {
        return this != NYU_DEPTH;
    }

    public String defaultTrainSplit() {
        return trainSplit;
    }

    public String defaultValSplit() {
        return valSplit;
    }

    public int defaultCropWidth() {
        return cropWidth;
    }

    public int defaultCropHeight() {
        return cropHeight;
    }

    /** The protocol's epochs (0: the protocol counts steps, 7,500 for NYU). */
    public double defaultEpochs() {
        return epochs;
    }

    public long defaultSteps() {
        return this == NYU_DEPTH ? 7500 : 0;
    }

    public int defaultBatchSize() {
        return this == NYU_DEPTH ? 256 : 16;
    }

    public double defaultLr() {
        return lr;
    }

    public double defaultWeightDecay() {
        return weightDecay;
    }

    /** The task called {@code key}; an unknown one is a config error listing the known. */
    public static Task of(String key) {
        for (Task t : values()) {
            if (t.key.equals(key.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new ConfigException("task: unknown task '" + key + "' (one of voc-seg, cityscapes-seg, nyu-depth)");
    }
}
