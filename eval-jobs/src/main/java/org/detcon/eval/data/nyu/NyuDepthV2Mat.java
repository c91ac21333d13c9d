package org.detcon.eval.data.nyu;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.detcon.core.image.Image8;
import org.detcon.eval.data.DepthDataset;
import org.detcon.eval.data.DepthMap;
import org.detcon.eval.data.DepthSample;
import org.detcon.eval.data.MalformedDataException;
import org.detcon.eval.metrics.depth.DepthRange;

/**
 * The labelled NYU Depth v2 file {@code nyu_depth_v2_labeled.mat} (MATLAB v7.3, i.e. HDF5 behind a 512-byte
 * userblock), read in place with jHDF, one image at a time: for chunked (compressed) datasets, as MATLAB writes
 * them, only the chunks overlapping that image are decompressed ({@link ChunkedSlabReader}, which also works around
 * a jHDF 0.9.4 hyperslab bug), so the 2.8 GB file is never loaded whole.
 *
 * <p>Axis order: MATLAB holds {@code images} as H×W×3×N uint8 and {@code depths} as H×W×N single (metres),
 * column-major. HDF5 records the dimensions reversed, so an HDF5 reader (jHDF, h5py) sees {@code images} with
 * shape (N, 3, W, H) and {@code depths} (N, W, H), row-major: element {@code images[n][c][x][y]} is channel c of
 * pixel (row y, column x) of image n. For the real file N = 1449, W = 640, H = 480. This class transposes to the
 * usual row-major H×W(×3) layout.
 *
 * <p>Samples are {@code 0..N-1} (ids are the 0-based index as text) or any subset given as 0-based indices, e.g.
 * the official 654-image test split from {@code splits.mat} (whose indices are 1-based: subtract 1).
 * Instances must be {@link #close() closed}.
 */
public final class NyuDepthV2Mat implements DepthDataset, AutoCloseable {

    private final Path file;
    private final HdfFile hdf;
    private final Dataset images;
    private final Dataset depths;
    private final int width;
    private final int height;
    private final int count;
    private final DepthRange range;
    private final int[] indices;
    private final List<String> ids;

    private NyuDepthV2Mat(Path file, HdfFile hdf, Dataset images, Dataset depths, DepthRange range, int[] indices) {
        this.file = file;
        this.hdf = hdf;
        this.images = images;
        this.depths = depths;
        int[] d = images.getDimensions();
        this.count = d[0];
        this.width = d[2];
        this.height = d[3];
        this.range = range;
        this.indices = indices;
        List<String> list = new ArrayList<>(indices.length);
        for (int i : indices) {
            list.add(Integer.toString(i));
        }
        this.ids = List.copyOf(list);
    }

    /** All images of the file. */
    public static NyuDepthV2Mat open(Path matFile, DepthRange range) {
        return open(matFile, range, null);
    }

    /**
     * The images with the given 0-based indices (in that order), or all when {@code indices} is null.
     *
     * @throws MalformedDataException naming the file and the dataset when it is not NYU-shaped
     */
    public static NyuDepthV2Mat open(Path matFile, DepthRange range, int[] indices) {
        Objects.requireNonNull(range, "range");
        if (!Files.isRegularFile(matFile)) {
            throw new UncheckedIOException(new NoSuchFileException(matFile.toString(), null, "NYU .mat file missing"));
        }
        HdfFile hdf;
        try {
            hdf = new HdfFile(matFile);
        } catch (HdfException e) {
            throw new MalformedDataException(matFile, "HDF5 structure", "not a MATLAB v7.3 / HDF5 file: "
                    + e.getMessage(), e);
        }
        try {
            Dataset images = dataset(hdf, matFile, "images");
            Dataset depths = dataset(hdf, matFile, "depths");
            int[] di = images.getDimensions();
            int[] dd = depths.getDimensions();
            if (di.length != 4 || di[1] != 3) {
                throw new MalformedDataException(matFile, "images", "expected shape (N, 3, W, H), found "
                        + Arrays.toString(di));
            }
            if (!(images.getDataType() instanceof FixedPoint fp) || fp.getSize() != 1) {
                throw new MalformedDataException(matFile, "images", "expected uint8 samples, found "
                        + images.getJavaType().getSimpleName() + " of " + images.getDataType().getSize() + " bytes");
            }
            if (dd.length != 3 || dd[0] != di[0] || dd[1] != di[2] || dd[2] != di[3]) {
                throw new MalformedDataException(matFile, "depths", "expected shape (N, W, H) = (" + di[0] + ", "
                        + di[2] + ", " + di[3] + ") to match images, found " + Arrays.toString(dd));
            }
            if (!(depths.getDataType() instanceof FloatingPoint ft) || (ft.getSize() != 4 && ft.getSize() != 8)) {
                throw new MalformedDataException(matFile, "depths", "expected float depths in metres, found "
                        + depths.getJavaType().getSimpleName());
            }
            int[] idx = indices == null ? rangeOf(di[0]) : indices.clone();
            for (int i : idx) {
                if (i < 0 || i >= di[0]) {
                    throw new IndexOutOfBoundsException("NYU index " + i + " outside 0.." + (di[0] - 1) + " of "
                            + matFile);
                }
            }
            return new NyuDepthV2Mat(matFile, hdf, images, depths, range, idx);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static Dataset dataset(HdfFile hdf, Path file, String name) {
        Node node = hdf.getChildren().get(name);
        if (node == null) {
            throw new MalformedDataException(file, name, "dataset missing (found " + hdf.getChildren().keySet() + ")");
        }
        if (!(node instanceof Dataset ds)) {
            throw new MalformedDataException(file, name, "is a " + node.getType() + ", not a dataset");
        }
        return ds;
    }

    private static int[] rangeOf(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Number of images in the file (not only the selected ones). */
    public int imagesInFile() {
        return count;
    }

    @Override
    public String name() {
        return "nyu_depth_v2/" + file.getFileName();
    }

    @Override
    public List<String> ids() {
        return ids;
    }

    @Override
    public DepthRange range() {
        return range;
    }

    @Override
    public DepthSample load(int index) {
        int n = indices[index];
        int pixels = width * height;
        int[] rgb = new int[3 * pixels]; // [c][x][y]: flat position (c * W + x) * H + y
        float[] raw = new float[pixels]; // [x][y]: flat position x * H + y
        synchronized (hdf) { // jHDF readers share channel state; one read at a time
            try {
                readImageSlab(n, rgb);
                readDepthSlab(n, raw);
            } catch (HdfException e) {
                throw new MalformedDataException(file, "images/depths", "cannot read image " + n + ": "
                        + e.getMessage(), e);
            }
        }
        byte[] px = new byte[rgb.length];
        for (int c = 0; c < 3; c++) {
            for (int x = 0; x < width; x++) {
                int src = (c * width + x) * height;
                for (int y = 0; y < height; y++) {
                    int v = rgb[src + y];
                    if (v < 0 || v > 255) {
                        throw new MalformedDataException(file, "images", "value " + v + " outside 0..255 in image " + n);
                    }
                    px[(y * width + x) * 3 + c] = (byte) v;
                }
            }
        }
        float[] metres = new float[pixels];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                metres[y * width + x] = raw[x * height + y];
            }
        }
        return new DepthSample(ids.get(index), new Image8(width, height, 3, px), new DepthMap(width, height, metres),
                range.validMask(metres));
    }

    private void readImageSlab(int n, int[] out) {
        if (images instanceof ChunkedDataset cd) {
            byte[] b = ChunkedSlabReader.readSlab(cd, n); // uint8: one byte per element
            for (int i = 0; i < out.length; i++) {
                out[i] = b[i] & 0xFF;
            }
        } else {
            Flatten.ints(images.getData(new long[] {n, 0, 0, 0}, new int[] {1, 3, width, height}), out, 0);
        }
    }

    private void readDepthSlab(int n, float[] out) {
        if (depths instanceof ChunkedDataset cd) {
            FloatingPoint type = (FloatingPoint) depths.getDataType();
            ByteBuffer b = ByteBuffer.wrap(ChunkedSlabReader.readSlab(cd, n)).order(type.getByteOrder());
            for (int i = 0; i < out.length; i++) {
                out[i] = type.getSize() == 8 ? (float) b.getDouble(i * 8) : b.getFloat(i * 4);
            }
        } else {
            Flatten.floats(depths.getData(new long[] {n, 0, 0}, new int[] {1, width, height}), out, 0);
        }
    }

    @Override
    public void close() {
        hdf.close();
    }

    /** Flattens jHDF's nested primitive arrays in row-major order. */
    static final class Flatten {
        private Flatten() {
        }

        static int ints(Object a, int[] out, int pos) {
            if (a instanceof byte[] b) {
                for (byte v : b) {
                    out[pos++] = v & 0xFF; // uint8 stored as Java byte
                }
            } else if (a instanceof short[] s) {
                for (short v : s) {
                    out[pos++] = v; // uint8 widened by jHDF
                }
            } else if (a instanceof int[] s) {
                for (int v : s) {
                    out[pos++] = v;
                }
            } else if (a instanceof Object[] arr) {
                for (Object o : arr) {
                    pos = ints(o, out, pos);
                }
            } else {
                throw new IllegalArgumentException("unexpected HDF5 array type " + a.getClass().getSimpleName());
            }
            return pos;
        }

        static int floats(Object a, float[] out, int pos) {
            if (a instanceof float[] f) {
                System.arraycopy(f, 0, out, pos, f.length);
                pos += f.length;
            } else if (a instanceof double[] d) {
                for (double v : d) {
                    out[pos++] = (float) v;
                }
            } else if (a instanceof Object[] arr) {
                for (Object o : arr) {
                    pos = floats(o, out, pos);
                }
            } else {
                throw new IllegalArgumentException("unexpected HDF5 array type " + a.getClass().getSimpleName());
            }
            return pos;
        }
    }
}
