package org.detcon.cli.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.detcon.cli.DeviceOption;
import org.detcon.cli.UsageException;
import org.detcon.eval.probe.ProbeJob;
import org.detcon.eval.probe.ProbeResult;
import org.detcon.trainer.engine.DeviceSpec;
import org.detcon.trainer.engine.Devices;
import org.detcon.trainer.engine.Precision;
import org.detcon.trainer.engine.Torch;
import org.detcon.trainer.run.ConfigException;
import org.detcon.trainer.run.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "--data holds a VOC layout (VOC2012/ or JPEGImages/ with ImageSets/Segmentation/{train,val}.txt) and/or"
                    + " NYU depth (nyu/{train,val}/ or {train,val}/ with rgb/ and depth/, or nyu_depth_v2_labeled.mat"
                    + " with splits/{train,test}.txt): real data or `detcon data synth` output."})
public final class ProbeCommand implements Callable<Integer> {

    @Option(names = "--backbone", required = true, paramLabel = "URI",
            description = "Exported backbone: its directory, or a file: or s3:// URI (a run's backbone/).")
    String backbone;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root.")
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

    @Mixin
    DeviceOption device = new DeviceOption();

    @Spec
    CommandSpec spec;

    /** A fraction as a percentage, or n/a when the dataset had no such split. */
    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "n/a";
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

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
        if (!Files.isDirectory(data)) {
            throw new UsageException("--data " + data + " is not a folder");
        }
        Torch.configure(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
        Devices.Resolved on;
        try {
            on = TrainingRun.resolveOneDevice(device.spec(DeviceSpec.AUTO), Precision.FP32, "the probe");
        } catch (ConfigException e) {
            throw new UsageException("--" + e.getMessage());
        }
        spec.commandLine().getErr().println(on.line());
        long t0 = System.nanoTime();
        ProbeResult r = job.probe(backbone, data, settings, on.primary());
        double secs = (System.nanoTime() - t0) / 1e9;
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(r));
        } else {
            spec.commandLine().getOut().printf(Locale.ROOT, "mIoU %s  pixel acc. %s  delta1 %s  abs. rel. %s  rmse %s"
                    + "  (grid %dx%d, %d train / %d val images, %.1f s)%n", pct(r.miou()), pct(r.pixelAccuracy()),
                    pct(r.delta1()), num(r.absRel()), num(r.rmse()), r.grid(), r.grid(), r.trainImages(),
                    r.valImages(), secs);
        }
        return 0;
    }
}
