package org.detcon.eval.data.cityscapes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.eval.data.FilePair;
import org.detcon.eval.data.FilePairSource;
import org.detcon.eval.data.ImageRasterIo;
import org.detcon.eval.data.IntRaster;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.data.SegLabels;
import org.detcon.eval.data.SegSample;

/**
 * Cityscapes fine annotations, read in place:
 * {@code leftImg8bit/SPLIT/CITY/FRAME_leftImg8bit.png} with {@code gtFine/SPLIT/CITY/FRAME_gtFine_labelIds.png}.
 * Labels are returned as trainIds (19 classes, 255 ignore) through the official mapping in
 * {@link CityscapesLabels}. Samples are ordered by city, then frame; ids are {@code CITY/FRAME}.
 * A label pixel holding no Cityscapes label id (34..255) is an error, which also catches a
 * {@code _labelTrainIds.png} or colour image given by mistake.
 */
public final class CityscapesSegmentation extends FilePairSource<SegSample> implements SegDataset {

    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String LABEL_SUFFIX = "_gtFine_labelIds.png";


    private CityscapesSegmentation(String name, List<FilePair> entries) {
        super(name, entries);
    }

    /**
     * @param root  the directory holding {@code leftImg8bit/} and {@code gtFine/}
     * @param split {@code train}, {@code val} or {@code test}
     */
    public static CityscapesSegmentation open(Path root, String split) {
        Path imgRoot = root.resolve("leftImg8bit").resolve(split);
        Path gtRoot = root.resolve("gtFine").resolve(split);
        if (!Files.isDirectory(imgRoot)) {
            throw new UncheckedIOException(new IOException("Cityscapes image directory missing: " + imgRoot));
        }
        List<FilePair> entries = new ArrayList<>();
        for (Path cityDir : sortedChildren(imgRoot, true)) {
            String city = cityDir.getFileName().toString();
            for (Path img : sortedChildren(cityDir, false)) {
                String file = img.getFileName().toString();
                if (!file.endsWith(IMAGE_SUFFIX)) {
                    continue;
                }
                String frame = file.substring(0, file.length() - IMAGE_SUFFIX.length());
                Path label = gtRoot.resolve(city).resolve(frame + LABEL_SUFFIX);
                if (!Files.isRegularFile(label)) {
                    throw new MalformedDataException(img, "gtFine labelIds", "no matching label file " + label);
                }
                entries.add(new FilePair(city + "/" + frame, img, label));
            }
        }
        return new CityscapesSegmentation("cityscapes/" + split, entries);
    }

    private static List<Path> sortedChildren(Path dir, boolean directories) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    @Override
    public SegSample load(int index) {
        FilePair e = pair(index);
        Image8 image = ImageRasterIo.readRgb(e.image());
        IntRaster raster = ImageRasterIo.readSingleBand(e.target(), "label");
        SegLabels.checkSize(e.target(), raster, e.image(), image);
        int[] lut = CityscapesLabels.labelIdToTrainId();
        int[] v = raster.values();
        int[] train = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            int id = v[i];
            if (!CityscapesLabels.isLabelId(id)) {
                throw new MalformedDataException(e.target(), "label id", "pixel (x=" + (i % raster.width()) + ", y="
                        + (i / raster.width()) + ") has " + id + ", which is no Cityscapes label id (0..33)");
            }
            train[i] = lut[id];
        }
        return new SegSample(e.id(), image, new LabelMap(raster.width(), raster.height(), train));
    }

    @Override
    public int numClasses() {
        return CityscapesLabels.NUM_CLASSES;
    }

    @Override
    public int ignoreIndex() {
        return CityscapesLabels.IGNORE_INDEX;
    }

    @Override
    public List<String> classNames() {
        return CityscapesLabels.TRAIN_CLASS_NAMES;
    }
}
