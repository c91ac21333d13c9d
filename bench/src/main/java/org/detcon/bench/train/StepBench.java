package org.detcon.bench.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.detcon.core.image.Image8;
import org.detcon.core.labelmap.LabelMap;
import org.detcon.trainer.data.BatchAssembler;
import org.detcon.trainer.data.Example;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.loss.DetConLossConfig;
import org.detcon.trainer.masks.MaskConfig;
import org.detcon.trainer.model.HeadConfig;
import org.detcon.trainer.model.ResNetConfig;
import org.detcon.trainer.optim.LarsConfig;
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingRun;
import org.detcon.trainer.schedule.EmaSchedule;
import org.detcon.trainer.schedule.LearningRateSchedule;
import org.detcon.trainer.train.Method;
import org.detcon.trainer.train.PretrainBatch;
import org.detcon.trainer.train.PretrainConfig;
import org.detcon.trainer.train.Pretrainer;

/**
 * Training-step throughput of the DJL trainer, model side only (as bench/train/torch_step.py): one batch made once
 * by the trainer's own assembler (noise images, FH-like 5×5-block label maps with ids 0..11, 16 masks per view) is
 * stepped repeatedly: online + target networks on both views, loss, LARS, EMA.
 * Arguments: method=detcon_b|byol depth=18 size=96 batch=32 masks=16 warmup=2 steps=5 threads=0 device=auto
 * precision=fp32 (device and precision as in a training config; the batch is assembled on the CPU and uploaded at
 * every step, as in training). Prints one JSON line.
 */
public final class StepBench {

    private StepBench() {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        Method method = Method.valueOf(a.text("method", "detcon_b").toUpperCase(Locale.ROOT));
        int depth = a.integer("depth", 18);
        int size = a.integer("size", 96);
        int batch = a.integer("batch", 32);
        int masks = a.integer("masks", 16);
        int warmup = a.integer("warmup", 2);
        int steps = a.integer("steps", 5);
        int threads = a.integer("threads", 0);
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Precision precision = Precision.parse(a.text("precision", "fp32"));
        Devices.Resolved device = TrainingRun.resolveOneDevice(TrainConfigYaml.device(a.text("device", "auto")),
                precision, "StepBench");
        System.err.println(device.line());
        Torch.engine().setRandomSeed(0);
        LearningRateSchedule lr = new LearningRateSchedule(0.2, batch, 0, 1000);
        PretrainConfig cfg = new PretrainConfig(method, new ResNetConfig(depth, 1), HeadConfig.BYOL, HeadConfig.BYOL,
                size, new MaskConfig(size / 32, masks, false), DetConLossConfig.DEFAULT,
                LarsConfig.withWeightDecay(1.5e-6), lr, new EmaSchedule(0.99, 1000));
        Random r = new Random(1);
        List<Example> data = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            byte[] px = new byte[size * size * 3];
            r.nextBytes(px);
            int[] ids = new int[25];
            for (int k = 0; k < 25; k++) {
                ids[k] = r.nextInt(12);
            }
            int[] labels = new int[size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    labels[y * size + x] = ids[(y * 5 / size) * 5 + x * 5 / size];
                }
            }
            data.add(Example.partition("n" + i, new Image8(size, size, 3, px), new LabelMap(size, size, labels)));
        }
        BatchAssembler assembler = new BatchAssembler(cfg, 0);
        try (Pretrainer p = new Pretrainer(cfg, BatchSplit.whole(batch, device.primary()));
             NDManager m = Torch.newManager()) {
            PretrainBatch b = assembler.assemble(data, 0, m);
            float loss = 0;
            for (int i = 0; i < warmup; i++) {
                loss = p.step(b);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                loss = p.step(b);
            }
            double dt = (System.nanoTime() - t0) / 1e9 / steps;
            System.out.printf(Locale.ROOT, "{\"kind\":\"djl-%s\",\"arch\":\"resnet%d\",\"res\":%d,\"batch\":%d,"
                    + "\"threads\":%s,\"device\":\"%s\",\"precision\":\"%s\",\"s_per_step\":%.4f,\"steps_per_s\":%.4f,"
                    + "\"img_per_s\":%.2f,"
                    + "\"loss\":%.4f}%n", method.name().toLowerCase(Locale.ROOT), depth, size, batch,
                    System.getProperty("ai.djl.pytorch.num_threads", "\"default\""), device.names(), precision.key(),
                    dt, 1 / dt, batch / dt, loss);
        }
    }
}
