package org.detcon.bench.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.detcon.core.mask.MaskIou;
import org.detcon.core.mask.PolygonRasterizer;
import org.detcon.core.mask.Rle;
import org.detcon.core.mask.RleOps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * COCO-shaped mask IoU, as COCOeval computes it per (image, category): 20 detections x 10 ground truths (2 crowd)
 * of 30-point polygons of radius 20-150 px in a 480x640 image, detections being jittered ground truths. One
 * benchmark op = one 20x10 matrix = 200 pairs. Also polygon rasterization and a 10-way union.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskIouBench {

    static final int H = 480;
    static final int W = 640;

    List<Rle> dt;
    List<Rle> gt;
    boolean[] crowd;
    double[][] gtPolys;

    @Setup
    public void setup() {
        Random rnd = new Random(42);
        gt = new ArrayList<>();
        dt = new ArrayList<>();
        gtPolys = new double[10][];
        for (int g = 0; g < 10; g++) {
            double cx = 100 + rnd.nextDouble() * 440;
            double cy = 100 + rnd.nextDouble() * 280;
            double r = 20 + rnd.nextDouble() * 130;
            gtPolys[g] = poly(rnd, cx, cy, r);
            gt.add(PolygonRasterizer.rasterize(gtPolys[g], H, W));
            for (int d = 0; d < 2; d++) {
                dt.add(PolygonRasterizer.rasterize(poly(rnd, cx + rnd.nextGaussian() * 10,
                        cy + rnd.nextGaussian() * 10, r * (0.8 + 0.4 * rnd.nextDouble())), H, W));
            }
        }
        crowd = new boolean[10];
        crowd[3] = true;
        crowd[7] = true;
    }

    static double[] poly(Random rnd, double cx, double cy, double r) {
        int n = 30;
        double[] xy = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double a = 2 * Math.PI * k / n;
            double rr = r * (0.6 + 0.4 * rnd.nextDouble());
            xy[2 * k] = Math.round((cx + rr * Math.cos(a)) * 100) / 100.0;
            xy[2 * k + 1] = Math.round((cy + rr * Math.sin(a)) * 100) / 100.0;
        }
        return xy;
    }

    @Benchmark
    public double[][] iouMatrix20x10() {
        return MaskIou.iou(dt, gt, crowd);
    }

    @Benchmark
    public Rle rasterizePolygon() {
        return PolygonRasterizer.rasterize(gtPolys[4], H, W);
    }

    @Benchmark
    public Rle union10() {
        return RleOps.union(gt);
    }
}
