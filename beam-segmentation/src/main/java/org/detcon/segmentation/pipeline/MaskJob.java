package org.detcon.segmentation.pipeline;

import java.io.IOException;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.detcon.core.image.DecodeLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of the job jar ({@code -Pjob-jar}): the mask pipeline as a Flink program, so Flink's own client
 * runs it ({@code flink run detcon-beam-segmentation-*-job.jar --input=... --output=... --masks=fh:1000}, or
 * {@code infra/local/flink-cluster.sh run JAR ARGS}) and Flink's application mode starts it (Kubernetes operator:
 * {@code job.jarURI} with this entry class). All arguments are Beam options ({@code --name=value}): the job's
 * ({@link Options}), {@link StoreOptions} and any standard Beam/Flink option; {@code --flinkMaster} defaults to
 * {@code [auto]}, the environment Flink's client provides. Progress is logged every 10 s; the end-of-run report goes
 * to standard output. A run whose counts do not add up fails.
 */
public final class MaskJob {

    private static final Logger LOG = LoggerFactory.getLogger(MaskJob.class);

    /** The job's options. */
    public interface Options extends FlinkPipelineOptions, StoreOptions {

        @Description("Images (folder or prefix, recursive), the COCO image root with --coco, or a shard dataset.")
        @Validation.Required
        String getInput();

        void setInput(String value);

        @Description("The dataset to write (path, file: or s3:// URI).")
        @Validation.Required
        String getOutput();

        void setOutput(String value);

        @Description("Mask sets: fh:SCALE[:min=N][:sigma=S], grid:N, gt; comma-separated.")
        @Default.String("fh:1000")
        String getMasks();

        void setMasks(String value);

        @Description("COCO instances JSON: --input is then the image root.")
        String getCoco();

        void setCoco(String value);

        @Description("Shard buckets (0: inputs / --samplesPerShard).")
        @Default.Integer(0)
        int getBuckets();

        void setBuckets(int value);

        @Description("Target samples per shard when --buckets is 0.")
        @Default.Integer(MaskPipelineConfig.DEFAULT_SAMPLES_PER_SHARD)
        int getSamplesPerShard();

        void setSamplesPerShard(int value);

        @Description("A bucket larger than this rolls over into more shard files (bytes, or with k/m/g).")
        @Default.String("1g")
        String getShardSize();

        void setShardSize(String value);

        @Description("Which keys are images (glob on the relative key; default: JPEG/PNG extensions).")
        String getGlob();

        void setGlob(String value);

        @Description("Dataset name in sample metadata.")
        String getDataset();

        void setDataset(String value);

        @Description("Split name in sample metadata.")
        String getSplit();

        void setSplit(String value);

        @Description("Larger images are rejected as TOO_LARGE.")
        @Default.Long(DecodeLimits.DEFAULT_MAX_PIXELS)
        long getMaxPixels();

        void setMaxPixels(long value);
    }

    private MaskJob() {
    }

    public static void main(String[] args) throws IOException {
        Options o = RunnerSetup.parseArgs(List.of(args), Options.class);
        RunnerSetup.flinkDefaults(o);
        RunnerSetup.withStoreSettings(o);
        MaskPipelineConfig config = config(o);
        MaskProgressLog progress = new MaskProgressLog(LOG::info, 10_000);
        MaskRunResult r = MaskPipeline.run(config, o, progress);
        System.out.print(r.format());
        System.out.println("dataset: " + config.output());
        if (!r.countsAddUp()) {
            throw new IllegalStateException("counts do not add up: " + r.expectedInputs() + " inputs listed, "
                    + r.manifest().inputs() + " written or rejected");
        }
    }

    /** The pipeline config the options describe (the input's kind detected as the CLI does). */
    static MaskPipelineConfig config(Options o) throws IOException {
        MaskPipelineConfig.InputKind kind = MaskPipeline.detectKind(o.getInput(), o.getCoco(), o);
        String version = MaskJob.class.getPackage().getImplementationVersion();
        return new MaskPipelineConfig(kind, o.getInput(), o.getGlob(), o.getCoco(), o.getDataset(), o.getSplit(),
                MaskSetSpec.parseList(o.getMasks()), o.getOutput(), o.getBuckets(), o.getSamplesPerShard(),
                MaskPipelineConfig.parseSize(o.getShardSize()), o.getMaxPixels(), version);
    }
}
