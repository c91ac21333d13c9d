package org.detcon.eval.detection.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RoIAlign (He et al. 2017) exactly as torchvision's {@code roi_align} kernel samples: region corners scaled by
 * {@code spatialScale} (minus ½ when {@code aligned}), regions at least 1×1 when not aligned, each of the
 * {@code ph×pw} bins averaging a {@code g×g} grid of bilinear samples ({@code g} = the sampling ratio, or
 * {@code ⌈size/bins⌉} per region when it is ≤ 0); a sample more than one pixel outside the map counts as 0, one
 * inside [−1, 0] is clamped to the edge.
 *
 * <p>On the device ({@link #pool}) the bilinear taps of every sample of every region are computed on the host and
 * applied as one gather of feature rows (channels last) and a weighted sum, so the result is differentiable with
 * respect to the features through autograd (the regions are constants, as in torchvision where boxes are detached).
 * Regions are processed in chunks to bound the gathered rows' memory. {@link #alignMask} is the same sampling on a
 * host-side single-channel mask (the mask targets).
 */
public final class RoiAlign {

    /** Bound on gathered feature values per chunk (floats). */
    private static final long CHUNK_VALUES = 1L << 24;

    private RoiAlign() {
    }

    /** Bilinear taps of one sample: flat positions y·W + x and weights; false when the sample is outside. */
    static boolean taps(float y, float x, int height, int width, int[] pos, float[] w) {
        if (y < -1.0f || y > height || x < -1.0f || x > width) {
            return false;
        }
        if (y <= 0) {
            y = 0;
        }
        if (x <= 0) {
            x = 0;
        }
        int yLow = (int) y;
        int xLow = (int) x;
        int yHigh;
        int xHigh;
        if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y = yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x = xLow;
        } else {
            xHigh = xLow + 1;
        }
        float ly = y - yLow;
        float lx = x - xLow;
        float hy = 1.0f - ly;
        float hx = 1.0f - lx;
        w[0] = hy * hx;
        w[1] = hy * lx;
        w[2] = ly * hx;
        w[3] = ly * lx;
        pos[0] = yLow * width + xLow;
        pos[1] = yLow * width + xHigh;
        pos[2] = yHigh * width + xLow;
        pos[3] = yHigh * width + xHigh;
        return true;
    }

    /** A region's geometry in feature coordinates: start, bin size and sampling grid per axis. */
    record Geometry(float startH, float startW, float binH, float binW, int gridH, int gridW) {

        static Geometry of(float[] boxes, int i, float spatialScale, int pooledH, int pooledW, int samplingRatio,
                boolean aligned) {
            float offset = aligned ? 0.5f : 0f;
            float startW = boxes[4 * i] * spatialScale - offset;
            float startH = boxes[4 * i + 1] * spatialScale - offset;
            float endW = boxes[4 * i + 2] * spatialScale - offset;
            float endH = boxes[4 * i + 3] * spatialScale - offset;
            float roiW = endW - startW;
            float roiH = endH - startH;
            if (!aligned) {
                roiW = Math.max(roiW, 1.0f);
                roiH = Math.max(roiH, 1.0f);
            }
            float binH = roiH / pooledH;
            float binW = roiW / pooledW;
            int gridH = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiH / pooledH);
            int gridW = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(roiW / pooledW);
            return new Geometry(startH, startW, binH, binW, gridH, gridW);
        }

        float y(int ph, int iy) {
            return startH + ph * binH + (iy + .5f) * binH / gridH;
        }

        float x(int pw, int ix) {
            return startW + pw * binW + (ix + .5f) * binW / gridW;
        }

        int count() {
            return Math.max(gridH * gridW, 1);
        }
    }

    /**
     * Pools regions from one feature level on the device.
     *
     * @param rows      the level's features channels-last, {@code [B·H·W, C]} (see {@link #channelsLast})
     * @param height    H of the level
     * @param width     W of the level
     * @param batchIdx  image index of each region
     * @param boxes     regions {@code [x1, y1, x2, y2]} in image coordinates
     * @return {@code [R, C, pooledH, pooledW]}
     */
    public static NDArray pool(NDArray rows, int height, int width, int[] batchIdx, float[] boxes, float spatialScale,
            int pooledH, int pooledW, int samplingRatio, boolean aligned) {
        if (samplingRatio <= 0) {
            throw new IllegalArgumentException("device RoIAlign needs a fixed sampling ratio > 0, got "
                    + samplingRatio);
        }
        int r = batchIdx.length;
        long channels = rows.getShape().get(1);
        NDManager m = rows.getManager();
        if (r == 0) {
            return m.zeros(new Shape(0, channels, pooledH, pooledW), rows.getDataType());
        }
        int bins = pooledH * pooledW;
        int taps = samplingRatio * samplingRatio * 4;
        int perRoi = bins * taps;
        int chunk = (int) Math.max(1, Math.min(r, CHUNK_VALUES / ((long) perRoi * channels)));
        NDList parts = new NDList();
        int[] pos = new int[4];
        float[] w = new float[4];
        int plane = height * width;
        for (int start = 0; start < r; start += chunk) {
            int n = Math.min(chunk, r - start);
            long[] idx = new long[n * perRoi];
            float[] wt = new float[n * perRoi];
            for (int k = 0; k < n; k++) {
                int i = start + k;
                Geometry g = Geometry.of(boxes, i, spatialScale, pooledH, pooledW, samplingRatio, aligned);
                float inv = 1f / g.count();
                long base = (long) batchIdx[i] * plane;
                int o = k * perRoi;
                for (int ph = 0; ph < pooledH; ph++) {
                    for (int pw = 0; pw < pooledW; pw++) {
                        for (int iy = 0; iy < samplingRatio; iy++) {
                            float y = g.y(ph, iy);
                            for (int ix = 0; ix < samplingRatio; ix++) {
                                float x = g.x(pw, ix);
                                if (taps(y, x, height, width, pos, w)) {
                                    for (int t = 0; t < 4; t++) {
                                        idx[o + t] = base + pos[t];
                                        wt[o + t] = w[t] * inv;
                                    }
                                } else {
                                    for (int t = 0; t < 4; t++) {
                                        idx[o + t] = base;
                                        wt[o + t] = 0f;
                                    }
                                }
                                o += 4;
                            }
                        }
                    }
                }
            }
            // index and weights stay open with the features' scope: the backward pass reads both (an array made
            // from host data and closed early frees memory the autograd graph still points at)
            NDArray gathered = rows.get(m.create(idx)).reshape(n * bins, taps, channels);
            NDArray weights = m.create(wt, new Shape(n * bins, 1, taps));
            parts.add(weights.batchMatMul(gathered).reshape(n, bins, channels));
        }
        NDArray all = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts);
        return all.transpose(0, 2, 1).reshape(r, channels, pooledH, pooledW);
    }

    /** A feature map {@code [B, C, H, W]} as rows {@code [B·H·W, C]} for {@link #pool}. */
    public static NDArray channelsLast(NDArray features) {
        Shape s = features.getShape();
        return features.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
    }

    /**
     * RoIAlign of one region on a host-side single-channel map of {@code height×width} values (row-major), as
     * {@code roi_align(mask[None, None], [[0, box]], (m, m), 1.0, samplingRatio, aligned)} computes it; returns
     * {@code m×m} values, row-major.
     */
    public static float[] alignMask(byte[] mask, int height, int width, float[] box, int boxIndex, int m,
            int samplingRatio, boolean aligned) {
        Geometry g = Geometry.of(box, boxIndex, 1f, m, m, samplingRatio, aligned);
        float[] out = new float[m * m];
        int[] pos = new int[4];
        float[] w = new float[4];
        for (int ph = 0; ph < m; ph++) {
            for (int pw = 0; pw < m; pw++) {
                float sum = 0;
                for (int iy = 0; iy < g.gridH(); iy++) {
                    float y = g.y(ph, iy);
                    for (int ix = 0; ix < g.gridW(); ix++) {
                        float x = g.x(pw, ix);
                        if (taps(y, x, height, width, pos, w)) {
                            sum += w[0] * mask[pos[0]] + w[1] * mask[pos[1]] + w[2] * mask[pos[2]]
                                    + w[3] * mask[pos[3]];
                        }
                    }
                }
                out[ph * m + pw] = sum / g.count();
            }
        }
        return out;
    }
}
