package org.detcon.eval.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.detcon.core.hash.ContentHash;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.data.SampleSource;
import org.detcon.eval.data.SegDataset;
import org.detcon.eval.data.cityscapes.CityscapesLabels;
import org.detcon.eval.data.cityscapes.CityscapesSegmentation;
import org.detcon.eval.data.nyu.NyuDepthV2Mat;
import org.detcon.eval.data.nyu.NyuDepthV2Png;
import org.detcon.eval.data.voc.VocSegmentation;
import org.detcon.eval.metrics.depth.DepthRange;

/**
 * Where the evaluation datasets are under a root folder, in their real layouts (or as {@code detcon data synth}
 * writes them), and how many classes they have:
 * <ul>
 *   <li>PASCAL VOC: {@code ROOT/VOC2012/} or {@code ROOT} itself (the folder holding {@code JPEGImages/}); splits
 *   are list files {@code ImageSets/Segmentation/SPLIT.txt} ({@code train_aug} with labels in
 *   {@code SegmentationClassAug/}, the SBD export);</li>
 *   <li>Cityscapes: {@code ROOT/leftImg8bit/SPLIT/} with {@code ROOT/gtFine/SPLIT/};</li>
 *   <li>NYU Depth v2: the PNG export {@code ROOT/nyu/SPLIT/} or {@code ROOT/SPLIT/} (each with {@code rgb/} and
 *   {@code depth/}), or the labelled file {@code ROOT/nyu_depth_v2_labeled.mat} with
 *   {@code ROOT/splits/SPLIT.txt} listing 1-based image numbers ({@code splits.mat}'s {@code trainNdxs} /
 *   {@code testNdxs}, one per line).</li>
 * </ul>
 * A generated dataset ({@code ROOT/synth.json}) has its own class count.
 */
public final class Datasets {

    public static final String NYU_MAT = "nyu_depth_v2_labeled.mat";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Datasets() {
    }

    /** The VOC2012 folder under {@code root}, if there is one. */
    public static Path vocRoot(Path root) {
        Path voc = root.resolve("VOC2012");
        if (Files.isDirectory(voc.resolve("JPEGImages"))) {
            return voc;
        }
        return Files.isDirectory(root.resolve("JPEGImages")) ? root : null;
    }

    /** The folder of the NYU PNG export's {@code split} under {@code root}, if there is one. */
    public static Path nyuPngRoot(Path root, String split) {
        for (Path p : new Path[] {root.resolve("nyu").resolve(split), root.resolve(split)}) {
            if (Files.isDirectory(p.resolve("rgb")) && Files.isDirectory(p.resolve("depth"))) {
                return p;
            }
        }
        return null;
    }

    /** Whether {@code root} holds NYU depth data (the PNG export's train split or the labelled .mat file). */
    public static boolean hasNyu(Path root, String split) {
        return nyuPngRoot(root, split) != null || Files.isRegularFile(root.resolve(NYU_MAT));
    }

    /** A segmentation split of the task's dataset under {@code root}. */
    public static SegDataset segmentation(Task task, Path root, String split) {
        if (task == Task.CITYSCAPES_SEG) {
            Path images = root.resolve("leftImg8bit").resolve(split);
            if (!Files.isDirectory(images)) {
                throw new MalformedDataException(images, "Cityscapes split", "no such folder: --data must hold"
                        + " leftImg8bit/" + split + "/ and gtFine/" + split + "/ (the official layout)");
            }
            return CityscapesSegmentation.open(root, split);
        }
        Path voc = vocRoot(root);
        if (voc == null) {
            throw new MalformedDataException(root, "VOC layout", "no VOC2012/JPEGImages/ or JPEGImages/ here:"
                    + " --data must be a VOCdevkit folder, its VOC2012/ or a detcon data synth output");
        }
        Path list = voc.resolve("ImageSets/Segmentation/" + split + ".txt");
        if (!Files.isRegularFile(list)) {
            String hint = split.equals("train_aug") ? " (the SBD-augmented list with labels in"
                    + " SegmentationClassAug/; or set data.train_split: train for VOC's own train list)" : "";
            throw new MalformedDataException(list, "split list", "missing: no split '" + split + "'" + hint);
        }
        for (VocSegmentation.Split s : VocSegmentation.Split.values()) {
            if (s.listName().equals(split)) {
                return VocSegmentation.open(voc, s);
            }
        }
        return VocSegmentation.open(voc, list, "SegmentationClass");
    }

    /** A depth split under {@code root} (valid depths: NYU's 1e-3..10 m). */
    public static DepthDataset depth(Path root, String split) {
        Path png = nyuPngRoot(root, split);
        if (png != null) {
            return NyuDepthV2Png.open(png, DepthRange.NYU);
        }
        Path mat = root.resolve(NYU_MAT);
        if (Files.isRegularFile(mat)) {
            Path list = root.resolve("splits").resolve(split + ".txt");
            if (!Files.isRegularFile(list)) {
                throw new MalformedDataException(list, "split list", "missing: list the 1-based image numbers of"
                        + " split '" + split + "' (splits.mat's trainNdxs / testNdxs), one per line");
            }
            return NyuDepthV2Mat.open(mat, DepthRange.NYU, indices(list));
        }
        throw new MalformedDataException(root, "NYU layout", "no nyu/" + split + "/ or " + split + "/ with rgb/"
                + " and depth/, and no " + NYU_MAT + ": --data must hold the NYU PNG export or the labelled .mat");
    }

    private static int[] indices(Path list) {
        List<Integer> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    int i = Integer.parseInt(line);
                    if (i < 1) {
                        throw new NumberFormatException();
                    }
                    out.add(i - 1);
                } catch (NumberFormatException e) {
                    throw new MalformedDataException(list, "line " + (n + 1), "expected a 1-based image number, got '"
                            + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The classes to segment: {@code num_classes} of {@code ROOT/synth.json} for generated data, else the
     * dataset's (21 for VOC, 19 for Cityscapes).
     */
    public static int classes(Task task, Path root) throws IOException {
        Path synth = root.resolve("synth.json");
        if (Files.isRegularFile(synth)) {
            return JSON.readTree(synth.toFile()).path("num_classes").asInt();
        }
        return task == Task.CITYSCAPES_SEG ? CityscapesLabels.NUM_CLASSES : VocSegmentation.NUM_CLASSES;
    }

    /** The class names ({@code class_names} of {@code synth.json} for generated data). */
    public static List<String> classNames(Task task, Path root, int classes) throws IOException {
        Path synth = root.resolve("synth.json");
        if (Files.isRegularFile(synth)) {
            List<String> names = new ArrayList<>();
            for (JsonNode n : JSON.readTree(synth.toFile()).path("class_names")) {
                names.add(n.asText());
            }
            if (names.size() == classes) {
                return names;
            }
        }
        List<String> names = task == Task.CITYSCAPES_SEG ? CityscapesLabels.TRAIN_CLASS_NAMES
                : VocSegmentation.CLASS_NAMES;
        if (names.size() == classes) {
            return names;
        }
        List<String> generic = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            generic.add("class_" + c);
        }
        return generic;
    }

    /**
     * The identity of the samples a run reads: the sources' names and sample ids (not their bytes), so a moved
     * dataset keeps its runs.
     */
    public static String identity(SampleSource<?> train, int nTrain, SampleSource<?> val, int nVal) {
        StringBuilder sb = new StringBuilder(train.name()).append('\n');
        train.ids().subList(0, nTrain).forEach(id -> sb.append(id).append('\n'));
        sb.append(val.name()).append('\n');
        val.ids().subList(0, nVal).forEach(id -> sb.append(id).append('\n'));
        return ContentHash.sha256Hex(sb.toString());
    }

    /** The file that holds sample {@code i}'s target when the dataset knows it, else its dataset name and id. */
    public static Path file(SampleSource<?> s, int i) {
        if (s instanceof org.detcon.eval.data.FilePairSource<?> f) {
            return f.files(i).get(1);
        }
        return Path.of(s.name(), s.ids().get(i));
    }

    /** At most {@code max} of {@code n} (0: all). */
    public static int limit(int n, int max) {
        return max > 0 ? Math.min(n, max) : n;
    }
}
