package org.detcon.bench.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.train.Method;

/**
 * The training configs of the bench mains, built as a YAML tree and read like any config file (the same defaults
 * and checks as {@code detcon train}): ResNet-18, LARS, warmup + cosine, EMA for methods with a target.
 */
final class BenchRecipe {

    private BenchRecipe() {
    }

    static TrainConfig of(Method method, int size, int batch, long steps, double baseLr, long warmupSteps,
            double baseTau, int hidden, int out, int masksPerView, long seed, int torchThreads, String output,
            long checkpointEvery) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode c = f.objectNode();
        c.put("method", method.name().toLowerCase(Locale.ROOT));
        c.putObject("backbone").put("depth", 18).put("width", 1);
        c.put("image_size", size).put("batch_size", batch).put("steps", steps);
        c.putObject("optimizer").put("base_lr", baseLr).put("weight_decay", 1.5e-6).put("warmup_steps", warmupSteps);
        if (method.hasTarget()) {
            c.putObject("ema").put("base_tau", baseTau);
        }
        c.putObject("heads").put("hidden", hidden).put("out", out);
        c.putObject("masks").put("set", "shapes").put("per_view", masksPerView);
        c.putObject("output").put("uri", output).put("checkpoint_every", checkpointEvery);
        c.put("seed", seed).put("torch_threads", torchThreads);
        return TrainConfigYaml.parse(c, "bench recipe");
    }
}
