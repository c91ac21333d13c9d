package org.detcon.bench.finetune;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.detcon.trainer.run.TrainConfig;
import org.detcon.trainer.run.TrainConfigYaml;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;

/**
 * The backbones of the fine-tuning learning benchmark: pretrains with {@code detcon train}'s path
 * ({@link TrainingRun}) from a train config file and also exports the initialisation, so the pretrained backbone
 * ({@code OUT/backbone}) and the random one ({@code OUT/backbones/step-00000000}) start from the same weights.
 * Arguments: config=FILE.yaml (output.uri and data.uri as in the file). Resumes like {@code detcon train}.
 */
public final class PretrainWithInit {

    private PretrainWithInit() {
    }

    public static void main(String[] args) throws Exception {
        String file = new org.detcon.bench.train.Args(args).text("config", null);
        if (file == null) {
            throw new IllegalArgumentException("give config=FILE.yaml");
        }
        TrainConfig c = TrainConfigYaml.load(Path.of(file));
        TrainingLoop.Result r = TrainingRun.builder(c).progress(new PrintWriter(System.err, true))
                .exportAt(List.of(0L)).build().run();
        System.out.printf("pretrained steps %d..%d in %.0f s: loss %.4f -> %.4f; backbones in %s%n", r.startStep(),
                r.startStep() + r.steps(), r.seconds(), r.firstLoss(), r.lastLoss(), r.output());
    }
}
