package org.detcon.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.detcon.cli.UsageException;
import org.detcon.eval.probe.ProbeJob;
import org.detcon.eval.probe.ProbeResult;
import org.detcon.trainer.engine.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code detcon eval probe}: frozen-feature linear probes of an exported backbone ({@link ProbeJob}). */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        description = {
            "Frozen-feature linear probes of an exported backbone (backbone.npz + backbone.json): semantic "
                    + "segmentation (mIoU, VOC layout) and depth (delta<1.25, NYU PNG layout), fitted in closed form "
                    + "on the train split and scored on val, features bilinearly upsampled to label resolution.",
            "--data holds VOC2012/ and nyu/{train,val}/ (as `detcon data synth` writes them)."})
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
        ProbeJob job = new ProbeJob();
        ObjectNode given = new ObjectMapper().createObjectNode();
        given.put("input", input).put("train", train).put("val", val).put("lambda", lambda);
        ObjectNode settings;
        try {
            settings = job.resolve(given);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("probe.", "--"));
        }
        if (!Files.isDirectory(data.resolve("VOC2012")) || !Files.isDirectory(data.resolve("nyu"))) {
            throw new UsageException("--data " + data + " has no VOC2012/ and nyu/ (make one with detcon data synth)");
        }
        Torch.configure(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        long t0 = System.nanoTime();
        ProbeResult r = job.probe(backbone, data, settings);
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
