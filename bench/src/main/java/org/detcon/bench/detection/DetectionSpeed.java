package org.detcon.bench.detection;

import java.lang.management.ManagementFactory;
import org.detcon.bench.train.Args;
import org.detcon.eval.detection.data.DetectionBatch;
import org.detcon.eval.detection.model.MaskRcnnConfig;
import org.detcon.eval.detection.train.DetectorTrainConfig;
import org.detcon.eval.detection.train.MaskRcnnTrainer;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.SgdConfig;
import org.detcon.trainer.schedule.StepDecaySchedule;

/**
 * Training iterations/s and inference images/s of the DJL Mask R-CNN (torchvision's R50-FPN layout, 91 classes) on
 * synthetic batches, for the side-by-side with torchvision (bench/detection/speed.sh). Prints one JSON line per
 * measurement with wall and process CPU seconds.
 *   key=value: depth=50 size=512 batch=2 objects=8 warmup=1 steps=3 infer=4 threads=N
 */
public final class DetectionSpeed {

    private DetectionSpeed() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv);
        int threads = a.integer("threads", Runtime.getRuntime().availableProcessors());
        Torch.configure(threads);
        int depth = a.integer("depth", 50);
        int size = a.integer("size", 512);
        int batch = a.integer("batch", 2);
        int objects = a.integer("objects", 8);
        int warmup = a.integer("warmup", 1);
        int steps = a.integer("steps", 3);
        int infer = a.integer("infer", 4);
        int classes = 91;
        DetectorTrainConfig cfg = new DetectorTrainConfig(new ResNetConfig(depth, 1),
                MaskRcnnConfig.torchvision(classes), size, batch, new SgdConfig(0.9, 1e-4),
                new StepDecaySchedule(0.02, 1000, new long[0], 0.1), 0);
        try (MaskRcnnTrainer t = new MaskRcnnTrainer(cfg, null, "bench")) {
            DetectionBatch data = SyntheticDetectionBatch.make(batch, size, objects, classes, 1);
            for (int i = 0; i < warmup; i++) {
                t.step(data);
            }
            long[] c0 = times();
            for (int i = 0; i < steps; i++) {
                t.step(data);
            }
            long[] c1 = times();
            print("djl-train", depth, size, batch, threads, steps, c0, c1);
            DetectionBatch one = SyntheticDetectionBatch.make(1, size, objects, classes, 2);
            t.detect(one);
            c0 = times();
            for (int i = 0; i < infer; i++) {
                t.detect(one);
            }
            c1 = times();
            print("djl-infer", depth, size, 1, threads, infer, c0, c1);
        }
    }

    private static long[] times() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new long[] {System.nanoTime(), os.getProcessCpuTime()};
    }

    private static void print(String kind, int depth, int size, int batch, int threads, int n, long[] c0,
            long[] c1) {
        double wall = (c1[0] - c0[0]) / 1e9 / n;
        double cpu = (c1[1] - c0[1]) / 1e9 / n;
        System.out.printf("{\"kind\": \"%s\", \"depth\": %d, \"size\": %d, \"batch\": %d, \"threads\": %d, "
                + "\"iters\": %d, \"wall_s_per_iter\": %.3f, \"cpu_s_per_iter\": %.3f}%n", kind, depth, size, batch,
                threads, n, wall, cpu);
    }
}
