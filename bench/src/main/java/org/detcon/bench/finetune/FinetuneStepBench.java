package org.detcon.bench.finetune;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.detcon.bench.train.Args;
import org.detcon.eval.finetune.FinetuneConfig;
import org.detcon.eval.finetune.FinetuneConfigYaml;
import org.detcon.eval.finetune.FinetuneLearner;
import org.detcon.eval.finetune.Prepared;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.model.ResNetConfig;

/**
 * The fine-tuning training step, model side only (as bench/finetune/torch_finetune_step.py): one batch of noise
 * images with random targets, made once, stepped repeatedly through {@link FinetuneLearner} (forward, loss,
 * backward, SGD): the FCN on the dilated backbone with cross-entropy (voc-seg) or the up-projection decoder with
 * berHu (nyu-depth). Arguments: task=voc-seg|nyu-depth depth=50 width=513 height=513 batch=2 classes=21 warmup=1
 * steps=3 threads=0. Prints one JSON line: wall and process CPU seconds per step and per image.
 */
public final class FinetuneStepBench {

    private FinetuneStepBench() {
    }

    public static void main(String[] args) throws Exception {
        Args a = new Args(args);
        String task = a.text("task", "voc-seg");
        boolean seg = !task.equals("nyu-depth");
        int depth = a.integer("depth", 50);
        int w = a.integer("width", seg ? 513 : 304);
        int h = a.integer("height", seg ? 513 : 228);
        int batch = a.integer("batch", seg ? 2 : 8);
        int classes = a.integer("classes", 21);
        int warmup = a.integer("warmup", 1);
        int steps = a.integer("steps", 3);
        int threads = a.integer("threads", 0);
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Torch.engine().setRandomSeed(0);
        ObjectNode tree = JsonNodeFactory.instance.objectNode().put("task", task).put("batch_size", batch)
                .put("steps", 1000);
        tree.putObject("backbone").put("depth", depth);
        tree.putObject("data").putArray("crop").add(w).add(h);
        FinetuneConfig cfg = FinetuneConfigYaml.parse(tree, "bench", "unused");
        Random r = new Random(1);
        List<Prepared> data = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            float[] img = new float[3 * w * h];
            for (int k = 0; k < img.length; k++) {
                img[k] = (float) r.nextGaussian();
            }
            int[] labels = null;
            float[] d = null;
            if (seg) {
                labels = new int[w * h];
                for (int k = 0; k < labels.length; k++) {
                    labels[k] = r.nextInt(10) == 0 ? 255 : r.nextInt(classes);
                }
            } else {
                d = new float[w * h];
                for (int k = 0; k < d.length; k++) {
                    d[k] = r.nextInt(10) == 0 ? 0f : 0.5f + 9 * r.nextFloat();
                }
            }
            data.add(new Prepared("n" + i, w, h, img, labels, d));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (FinetuneLearner l = new FinetuneLearner(cfg, new ResNetConfig(depth, 1), null, classes, 1000, "bench")) {
            float loss = 0;
            for (int i = 0; i < warmup; i++) {
                loss = l.step(data).total();
            }
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                loss = l.step(data).total();
            }
            double wall = (System.nanoTime() - t0) / 1e9 / steps;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9 / steps;
            System.out.printf(Locale.ROOT, "{\"kind\":\"djl-%s\",\"arch\":\"resnet%d\",\"size\":\"%dx%d\",\"batch\":%d,"
                    + "\"threads\":%s,\"s_per_step\":%.3f,\"cpu_s_per_step\":%.3f,\"s_per_img\":%.3f,"
                    + "\"cpu_s_per_img\":%.3f,\"loss\":%.4f}%n", task, depth, w, h, batch,
                    System.getProperty("ai.djl.pytorch.num_threads", "\"default\""), wall, cpu, wall / batch,
                    cpu / batch, loss);
        }
    }
}
