package org.detcon.eval.data.voc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.detcon.core.image.Image8;
import org.detcon.eval.data.FilePair;
import org.detcon.eval.data.FilePairSource;
import org.detcon.eval.data.ImageRasterIo;
import org.detcon.eval.data.IntRaster;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.data.SegLabels;
import org.detcon.eval.data.SegSample;

/**
 * PASCAL VOC 2012 semantic segmentation, read in place from the devkit layout:
 * <pre>
 * VOC2012/JPEGImages/ID.jpg
 * VOC2012/SegmentationClass/ID.png          palette PNG; palette index = class id, 255 = boundary/ignore
 * VOC2012/SegmentationClassAug/ID.png       SBD "train_aug" export: 8-bit gray (or palette) class ids
 * VOC2012/ImageSets/Segmentation/{train,val,trainval,train_aug}.txt
 * </pre>
 * A list file holds one id per line, or DeepLab-style pairs {@code /JPEGImages/ID.jpg /SegmentationClassAug/ID.png}
 * (paths relative to the VOC2012 root). Every listed file must exist when the dataset is opened; labels must match
 * their image's size and hold only 0..20 or 255 (checked when a sample is loaded).
 */
public final class VocSegmentation extends FilePairSource<SegSample> implements SegDataset {

    public static final int NUM_CLASSES = 21;
    public static final int IGNORE_INDEX = 255;
    public static final List<String> CLASS_NAMES = List.of("background", "aeroplane", "bicycle", "bird", "boat",
            "bottle", "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person",
            "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    /** The standard splits and where their list and labels are. */
    public enum Split {
        TRAIN("train", "SegmentationClass"),
        VAL("val", "SegmentationClass"),
        TRAINVAL("trainval", "SegmentationClass"),
        /** SBD-augmented training set (10,582 images), labels from the common SegmentationClassAug export. */
        TRAIN_AUG("train_aug", "SegmentationClassAug");

        private final String listName;
        private final String labelFolder;

        Split(String listName, String labelFolder) {
            this.listName = listName;
            this.labelFolder = labelFolder;
        }

        public String listName() {
            return listName;
        }

        public String labelFolder() {
            return labelFolder;
        }
    }


    private VocSegmentation(String name, List<FilePair> entries) {
        super(name, entries);
    }

    /** A standard split of the VOC2012 directory {@code vocRoot} (the one holding {@code JPEGImages}). */
    public static VocSegmentation open(Path vocRoot, Split split) {
        return open(vocRoot, vocRoot.resolve("ImageSets/Segmentation/" + split.listName() + ".txt"),
                split.labelFolder());
    }

    /**
     * Any list file with labels from {@code labelFolder} (relative to {@code vocRoot}, e.g. {@code SegmentationClassAug}
     * or wherever an SBD export put them); ids map to {@code JPEGImages/ID.jpg} and {@code labelFolder/ID.png}.
     */
    public static VocSegmentation open(Path vocRoot, Path listFile, String labelFolder) {
        Objects.requireNonNull(vocRoot, "vocRoot");
        Objects.requireNonNull(labelFolder, "labelFolder");
        List<String> lines;
        try {
            lines = Files.readAllLines(listFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VOC list file " + listFile, e);
        }
        List<FilePair> entries = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] tok = line.split("\\s+");
            FilePair e;
            if (tok.length == 1) {
                e = new FilePair(tok[0], vocRoot.resolve("JPEGImages").resolve(tok[0] + ".jpg"),
                        vocRoot.resolve(labelFolder).resolve(tok[0] + ".png"));
            } else if (tok.length == 2) {
                Path img = vocRoot.resolve(stripSlash(tok[0]));
                String file = img.getFileName().toString();
                int dot = file.lastIndexOf('.');
                e = new FilePair(dot > 0 ? file.substring(0, dot) : file, img, vocRoot.resolve(stripSlash(tok[1])));
            } else {
                throw new MalformedDataException(listFile, "line " + (n + 1), "expected an id or an image/label "
                        + "path pair, got '" + line + "'");
            }
            if (!Files.isRegularFile(e.image())) {
                throw new MalformedDataException(listFile, "line " + (n + 1), "entry '" + e.id()
                        + "' has no image file " + e.image());
            }
            if (!Files.isRegularFile(e.target())) {
                throw new MalformedDataException(listFile, "line " + (n + 1), "entry '" + e.id()
                        + "' has no label file " + e.target());
            }
            entries.add(e);
        }
        String listName = listFile.getFileName().toString().replaceFirst("\\.txt$", "");
        return new VocSegmentation("voc2012/" + listName, entries);
    }

    private static String stripSlash(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }

    @Override
    public SegSample load(int index) {
        FilePair e = pair(index);
        Image8 image = ImageRasterIo.readRgb(e.image());
        IntRaster raster = ImageRasterIo.readSingleBand(e.target(), "label");
        SegLabels.checkSize(e.target(), raster, e.image(), image);
        return new SegSample(e.id(), image,
                SegLabels.checkedClassIds(e.target(), raster, NUM_CLASSES, IGNORE_INDEX));
    }

    @Override
    public int numClasses() {
        return NUM_CLASSES;
    }

    @Override
    public int ignoreIndex() {
        return IGNORE_INDEX;
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }
}
