package org.detcon.eval.data.cityscapes;

import java.util.Arrays;
import java.util.List;

/**
 * The Cityscapes label table, transcribed from cityscapesScripts {@code helpers/labels.py}, and the official
 * labelId → trainId mapping: the 19 evaluated classes get trainIds 0..18; every other label (void, ignoreInEval,
 * and the id −1 license plate) maps to 255.
 */
public final class CityscapesLabels {

    /** One row of labels.py. {@code trainId} is as in labels.py (255 or −1 for non-train labels). */
    public record Label(String name, int id, int trainId, String category, int categoryId, boolean hasInstances,
                        boolean ignoreInEval, int red, int green, int blue) {
    }

    public static final int NUM_CLASSES = 19;
    public static final int IGNORE_INDEX = 255;

    /** All 35 labels of labels.py, in its order. */
    public static final List<Label> LABELS = List.of(
            new Label("unlabeled", 0, 255, "void", 0, false, true, 0, 0, 0),
            new Label("ego vehicle", 1, 255, "void", 0, false, true, 0, 0, 0),
            new Label("rectification border", 2, 255, "void", 0, false, true, 0, 0, 0),
            new Label("out of roi", 3, 255, "void", 0, false, true, 0, 0, 0),
            new Label("static", 4, 255, "void", 0, false, true, 0, 0, 0),
            new Label("dynamic", 5, 255, "void", 0, false, true, 111, 74, 0),
            new Label("ground", 6, 255, "void", 0, false, true, 81, 0, 81),
            new Label("road", 7, 0, "flat", 1, false, false, 128, 64, 128),
            new Label("sidewalk", 8, 1, "flat", 1, false, false, 244, 35, 232),
            new Label("parking", 9, 255, "flat", 1, false, true, 250, 170, 160),
            new Label("rail track", 10, 255, "flat", 1, false, true, 230, 150, 140),
            new Label("building", 11, 2, "construction", 2, false, false, 70, 70, 70),
            new Label("wall", 12, 3, "construction", 2, false, false, 102, 102, 156),
            new Label("fence", 13, 4, "construction", 2, false, false, 190, 153, 153),
            new Label("guard rail", 14, 255, "construction", 2, false, true, 180, 165, 180),
            new Label("bridge", 15, 255, "construction", 2, false, true, 150, 100, 100),
            new Label("tunnel", 16, 255, "construction", 2, false, true, 150, 120, 90),
            new Label("pole", 17, 5, "object", 3, false, false, 153, 153, 153),
            new Label("polegroup", 18, 255, "object", 3, false, true, 153, 153, 153),
            new Label("traffic light", 19, 6, "object", 3, false, false, 250, 170, 30),
            new Label("traffic sign", 20, 7, "object", 3, false, false, 220, 220, 0),
            new Label("vegetation", 21, 8, "nature", 4, false, false, 107, 142, 35),
            new Label("terrain", 22, 9, "nature", 4, false, false, 152, 251, 152),
            new Label("sky", 23, 10, "sky", 5, false, false, 70, 130, 180),
            new Label("person", 24, 11, "human", 6, true, false, 220, 20, 60),
            new Label("rider", 25, 12, "human", 6, true, false, 255, 0, 0),
            new Label("car", 26, 13, "vehicle", 7, true, false, 0, 0, 142),
            new Label("truck", 27, 14, "vehicle", 7, true, false, 0, 0, 70),
            new Label("bus", 28, 15, "vehicle", 7, true, false, 0, 60, 100),
            new Label("caravan", 29, 255, "vehicle", 7, true, true, 0, 0, 90),
            new Label("trailer", 30, 255, "vehicle", 7, true, true, 0, 0, 110),
            new Label("train", 31, 16, "vehicle", 7, true, false, 0, 80, 100),
            new Label("motorcycle", 32, 17, "vehicle", 7, true, false, 0, 0, 230),
            new Label("bicycle", 33, 18, "vehicle", 7, true, false, 119, 11, 32),
            new Label("license plate", -1, -1, "vehicle", 7, false, true, 0, 0, 142));

    /** Largest label id that can appear in a {@code *_gtFine_labelIds.png}. */
    public static final int MAX_LABEL_ID = 33;

    private static final int[] ID_TO_TRAIN = new int[MAX_LABEL_ID + 1];

    /** Train class names, index = trainId. */
    public static final List<String> TRAIN_CLASS_NAMES;

    static {
        Arrays.fill(ID_TO_TRAIN, IGNORE_INDEX);
        String[] names = new String[NUM_CLASSES];
        for (Label l : LABELS) {
            boolean train = l.trainId() >= 0 && l.trainId() < NUM_CLASSES;
            if (l.id() >= 0) {
                ID_TO_TRAIN[l.id()] = train ? l.trainId() : IGNORE_INDEX;
            }
            if (train) {
                names[l.trainId()] = l.name();
            }
        }
        TRAIN_CLASS_NAMES = List.of(names);
    }

    private CityscapesLabels() {
    }

    /** Whether {@code labelId} is one of the 34 ids (0..33) that label images hold. */
    public static boolean isLabelId(int labelId) {
        return labelId >= 0 && labelId <= MAX_LABEL_ID;
    }

    /**
     * The trainId of a label id: 0..18 for the evaluated classes, 255 for every other label (−1, the license
     * plate, included).
     *
     * @throws IllegalArgumentException for a value that is no label id
     */
    public static int trainId(int labelId) {
        if (labelId == -1) {
            return IGNORE_INDEX;
        }
        if (!isLabelId(labelId)) {
            throw new IllegalArgumentException("no Cityscapes label has id " + labelId);
        }
        return ID_TO_TRAIN[labelId];
    }

    /** The mapping as a lookup table indexed by label id 0..33 (a copy). */
    public static int[] labelIdToTrainId() {
        return ID_TO_TRAIN.clone();
    }
}
