package org.detcon.eval.detection.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.detcon.core.coco.CocoAnnotation;
import org.detcon.core.coco.CocoDataset;
import org.detcon.core.coco.CocoImage;
import org.detcon.core.coco.CocoReader;
import org.detcon.core.image.Image8;
import org.detcon.core.image.ImageDecodeException;
import org.detcon.core.image.ImageDecoder;

/**
 * One split of a COCO-layout dataset as detector samples. For training, only images with at least one usable
 * annotation (not crowd, positive area, known category) are used; the others are counted. The training order,
 * batches and flips are the training loop's data source's ({@code IndexedSource} over {@link #trainImages()}).
 */
public final class CocoDetectionData {

    private final CocoSplit split;
    private final CocoDataset dataset;
    private final CategoryIndex categories;
    private final InputTransform transform;
    private final ImageDecoder decoder = ImageDecoder.withDefaults();
    private final List<CocoImage> trainable;
    private final Counts counts;

    /** What the split holds and what training leaves out. */
    public record Counts(int images, int annotations, int imagesWithoutAnnotations, int crowd, int degenerate,
            int unknownCategory) {
    }

    public CocoDetectionData(CocoSplit split, InputTransform transform) throws IOException {
        this.split = split;
        this.dataset = CocoReader.read(split.annotations());
        this.categories = CategoryIndex.of(dataset);
        this.transform = transform;
        List<CocoImage> usable = new ArrayList<>();
        int without = 0;
        int crowd = 0;
        int degenerate = 0;
        int unknown = 0;
        InputTransform.Skip[] why = new InputTransform.Skip[1];
        for (CocoImage im : dataset.images()) {
            int good = 0;
            for (CocoAnnotation a : dataset.annotationsForImage(im.id())) {
                if (InputTransform.usableBox(a, categories, im.height(), im.width(), why) != null) {
                    good++;
                } else if (why[0] == InputTransform.Skip.CROWD) {
                    crowd++;
                } else if (why[0] == InputTransform.Skip.UNKNOWN_CATEGORY) {
                    unknown++;
                } else {
                    degenerate++;
                }
            }
            if (good > 0) {
                usable.add(im);
            } else {
                without++;
            }
        }
        this.trainable = Collections.unmodifiableList(usable);
        this.counts = new Counts(dataset.images().size(), dataset.annotations().size(), without, crowd, degenerate,
                unknown);
    }

    public CocoSplit split() {
        return split;
    }

    public CocoDataset dataset() {
        return dataset;
    }

    public CategoryIndex categories() {
        return categories;
    }

    public InputTransform transform() {
        return transform;
    }

    public Counts counts() {
        return counts;
    }

    /** Images training uses (at least one usable annotation), in file order. */
    public List<CocoImage> trainImages() {
        return trainable;
    }

    /** Decodes an image of the split; a one-line error naming the file when it cannot. */
    public Image8 image(CocoImage info) throws IOException {
        Path file = split.images().resolve(info.fileName());
        if (!Files.isRegularFile(file)) {
            throw new IOException("image " + info.id() + ": " + file + " does not exist");
        }
        try {
            Image8 img = decoder.decode(file);
            if (img.width() != info.width() || img.height() != info.height()) {
                throw new IOException("image " + info.id() + ": " + file + " is " + img.width() + "x" + img.height()
                        + " but the annotations say " + info.width() + "x" + info.height());
            }
            return img;
        } catch (ImageDecodeException e) {
            throw new IOException("image " + info.id() + ": " + file + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    /** The training sample of {@code info} with its ground truth. */
    public DetectionSample trainSample(CocoImage info, boolean flip) throws IOException {
        return transform.apply(info.id(), image(info), dataset.annotationsForImage(info.id()), categories, flip);
    }

    /** The inference sample of {@code info} (no ground truth, not flipped). */
    public DetectionSample evalSample(CocoImage info) throws IOException {
        return transform.apply(info.id(), image(info), null, categories, false);
    }
}
