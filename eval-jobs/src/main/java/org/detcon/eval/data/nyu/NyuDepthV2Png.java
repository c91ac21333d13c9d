package org.detcon.eval.data.nyu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.detcon.core.image.Image8;
import org.detcon.eval.data.FilePair;
import org.detcon.eval.data.FilePairSource;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.DepthMap;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.ImageRasterIo;
import org.detcon.eval.data.IntRaster;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.metrics.depth.DepthRange;

/**
 * The common PNG export of NYU Depth v2: {@code rgb/NAME.png} (or .jpg) 8-bit RGB and {@code depth/NAME.png}
 * 16-bit grayscale depth in millimetres, 0 = no measurement. Paired by file stem, ordered by name; an image
 * without depth or a depth without image is an error at open.
 */
public final class NyuDepthV2Png extends FilePairSource<DepthSample> implements DepthDataset {

    /** Stored units (millimetres) per metre; depth = value / 1000 in float arithmetic. */
    public static final float UNITS_PER_METRE = 1000f;

    private final DepthRange range;

    private NyuDepthV2Png(String name, List<FilePair> entries, DepthRange range) {
        super(name, entries);
        this.range = range;
    }

    /** @param root the directory holding {@code rgb/} and {@code depth/} */
    public static NyuDepthV2Png open(Path root, DepthRange range) {
        Map<String, Path> rgb = byStem(root.resolve("rgb"), List.of(".png", ".jpg", ".jpeg"));
        Map<String, Path> depth = byStem(root.resolve("depth"), List.of(".png"));
        List<FilePair> entries = new ArrayList<>();
        for (var e : rgb.entrySet()) {
            Path d = depth.get(e.getKey());
            if (d == null) {
                throw new MalformedDataException(e.getValue(), "depth", "no matching depth/" + e.getKey() + ".png");
            }
            entries.add(new FilePair(e.getKey(), e.getValue(), d));
        }
        for (var e : depth.entrySet()) {
            if (!rgb.containsKey(e.getKey())) {
                throw new MalformedDataException(e.getValue(), "rgb", "no matching rgb/" + e.getKey() + ".png");
            }
        }
        return new NyuDepthV2Png("nyu_depth_v2_png/" + root.getFileName(), entries, range);
    }

    static Map<String, Path> byStem(Path dir, List<String> extensions) {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String f = p.getFileName().toString();
                String lower = f.toLowerCase(java.util.Locale.ROOT);
                for (String ext : extensions) {
                    if (lower.endsWith(ext) && Files.isRegularFile(p)) {
                        Path prev = out.put(f.substring(0, f.length() - ext.length()), p);
                        if (prev != null) {
                            throw new MalformedDataException(p, "file name", "same name as " + prev.getFileName());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return out;
    }

    /**
     * Reads a 16-bit depth PNG in millimetres as metres (0 stays 0 = invalid).
     *
     * @throws MalformedDataException when the PNG is not single-channel 16-bit
     */
    public static DepthMap readDepthPng(Path file) {
        IntRaster r = ImageRasterIo.readSingleBand(file, "depth");
        if (r.bitDepth() != 16 || r.palette()) {
            throw new MalformedDataException(file, "depth bit depth", "expected 16-bit grayscale millimetres, found "
                    + r.bitDepth() + "-bit" + (r.palette() ? " palette" : ""));
        }
        int[] v = r.values();
        float[] m = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            m[i] = v[i] / UNITS_PER_METRE;
        }
        return new DepthMap(r.width(), r.height(), m);
    }

    @Override
    public DepthSample load(int index) {
        FilePair e = pair(index);
        Image8 image = ImageRasterIo.readRgb(e.image());
        DepthMap depth = readDepthPng(e.target());
        if (depth.width() != image.width() || depth.height() != image.height()) {
            throw new MalformedDataException(e.target(), "depth size", depth.width() + "x" + depth.height()
                    + " but the image " + e.image().getFileName() + " is " + image.width() + "x" + image.height());
        }
        return new DepthSample(e.id(), image, depth, range.validMask(depth.metres()));
    }

    @Override
    public DepthRange range() {
        return range;
    }
}
