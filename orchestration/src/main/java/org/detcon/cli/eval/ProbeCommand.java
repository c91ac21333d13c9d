package org.detcon.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.eval.data.nyu.NyuDepthV2Png;
import org.detcon.eval.data.voc.VocSegmentation;
import org.detcon.eval.metrics.depth.DepthRange;
import org.detcon.eval.probe.FrozenProbes;
import org.detcon.eval.probe.ProbeResult;
import org.detcon.orchestration.synth.SynthDataset;
import org.detcon.trainer.engine.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon eval probe}: frozen-feature linear probes of an exported backbone on a synthetic dataset. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Frozen-feature linear probes of an exported backbone (backbone.npz + backbone.json): semantic "
                    + "segmentation (mIoU, VOC layout) and depth (delta<1.25, NYU PNG layout), fitted in closed form "
                    + "on the train split and scored on val, features bilinearly upsampled to label resolution.",
            "--data is a `detcon data synth` directory (VOC2012/ and nyu/{train,val}/)."})
public final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--backbone", required = true, paramLabel = "URI",
            description = "Exported backbone: its directory, or a file: or s3:// URI (a run's backbone/).")
    String backbone;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Synthetic dataset directory.")
    Path data;

    @Option(names = "--input", defaultValue = "96", paramLabel = "PX", description = "Backbone input side (multiple of 32; default: ${DEFAULT-VALUE}).")
    int input;

    @Option(names = "--train", defaultValue = "300", paramLabel = "N", description = "Train images to fit on (0 = all; default: ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--val", defaultValue = "200", paramLabel = "N", description = "Val images to score (0 = all; default: ${DEFAULT-VALUE}).")
    int val;

    @Option(names = "--lambda", defaultValue = "1e-3", description = "Ridge strength (relative; default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(data.resolve(SynthDataset.MARKER))) {
            throw new UsageException("--data " + data + " is not a detcon data synth directory (no "
                    + SynthDataset.MARKER + ")");
        }
        if (input <= 0 || input % 32 != 0) {
            throw new UsageException("--input must be a positive multiple of 32");
        }
        Torch.configure(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        int classes = new ObjectMapper().readTree(data.resolve(SynthDataset.MARKER).toFile()).path("num_classes")
                .asInt();
        FrozenProbes.Config cfg = new FrozenProbes.Config(input, lambda, train, val, 16, classes);
        long t0 = System.nanoTime();
        Path voc = SynthDataset.vocRoot(data);
        ProbeResult r = FrozenProbes.run(backbone, VocSegmentation.open(voc, VocSegmentation.Split.TRAIN),
                VocSegmentation.open(voc, VocSegmentation.Split.VAL),
                NyuDepthV2Png.open(SynthDataset.nyuRoot(data, "train"), DepthRange.NYU),
                NyuDepthV2Png.open(SynthDataset.nyuRoot(data, "val"), DepthRange.NYU), cfg);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(r));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT, "mIoU %.2f%%  pixel acc. %.2f%%  delta1 %.2f%%  abs. rel. "
                    + "%.4f  rmse %.4f  (grid %dx%d, %d train / %d val images, %.1f s)%n", 100 * r.miou(),
                    100 * r.pixelAccuracy(), 100 * r.delta1(), r.absRel(), r.rmse(), r.grid(), r.grid(),
                    r.trainImages(), r.valImages(), secs);
        }
        return 0;
    }
}
