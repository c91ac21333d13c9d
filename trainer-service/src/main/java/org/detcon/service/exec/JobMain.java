package org.detcon.service.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.detcon.core.store.ObjectStore;
import org.detcon.core.store.ObjectStores;
import org.detcon.service.jobs.JobKinds;
import org.detcon.trainer.run.ProgressLine;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;
import org.detcon.trainer.run.TrainingLoop;
import org.detcon.trainer.run.TrainingRun;

/**
 * A job's child JVM: {@code JobMain JOB.json [--device DEVICE]} runs the job ({@code {kind, config}}) through the
 * project's one training path ({@link TrainingRun} for pretrain, which resumes from the newest checkpoint in its
 * output; the registered eval's entry point otherwise, {@link EvalRun} staging an object store's data and output) on the device of its slot ({@link JobKinds#onDevice}, as
 * {@code detcon train --device} overrides a config's {@code device}). It reads its standard input, a pipe from the
 * service: the line {@code cancel} asks it to stop at the first step boundary after a checkpoint (exit
 * {@value #CANCELLED}); end of file (the service died) halts it at once, so a job never outlives its service.
 * Progress goes to standard output as {@code @progress JSON} lines ({@link ProgressLine}: each step, and how long
 * each checkpoint took); a failure's last line is {@code error: REASON}. A finished pretraining writes
 * {@value #RUN_RESULT} into its output.
 */
public final class JobMain {

    public static final String ERROR = "error: ";
    /** The option naming the slot's device. */
    public static final String DEVICE = "--device";
    public static final String CANCEL = "cancel";
    public static final int CANCELLED = 3;
    /**
     * What a pretrain job's last run did, in its output: {@code {start_step, steps, first_loss, last_loss, seconds,
     * peak_rss_bytes}} (a sweep dispatching to the service reads it back).
     */
    public static final String RUN_RESULT = "job-result.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile boolean cancelRequested;

    private JobMain() {
    }

    public static void main(String[] args) {
        watchService();
        try {
            JsonNode job = JSON.readTree(Path.of(args[0]).toFile());
            String kind = job.get("kind").asText();
            JsonNode config = job.get("config");
            if (args.length == 3 && args[1].equals(DEVICE)) {
                config = JobKinds.onDevice(kind, config, args[2]);
            } else if (args.length != 1) {
                throw new IllegalArgumentException("usage: JobMain JOB.json [" + DEVICE + " DEVICE]");
            }
            if (kind.equals(JobKinds.PRETRAIN)) {
                pretrain(config);
            } else {
                JobKinds.EvalSpec e = JobKinds.eval(kind, config);
                Map<String, Double> m = EvalRun.run(e, Path.of(args[0]).toAbsolutePath().getParent());
                System.out.println("result " + e.result() + ": " + m);
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);
        } catch (Cancelled c) {
            System.out.println("cancelled after the checkpoint of step " + c.step);
            System.out.flush();
            Runtime.getRuntime().halt(CANCELLED);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            System.out.println(ERROR + msg.lines().findFirst().orElse(""));
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void pretrain(JsonNode config) throws IOException {
        TrainingRun run = JobKinds.pretrainSpec(config).run().listener(new Reporter()).build();
        TrainingLoop.Result r = run.run();
        ObjectNode o = JSON.createObjectNode();
        o.put("start_step", r.startStep()).put("steps", r.steps()).put("seconds", r.seconds())
                .put("peak_rss_bytes", r.peakRssBytes());
        if (r.steps() > 0) {
            o.put("first_loss", (double) r.firstLoss()).put("last_loss", (double) r.lastLoss());
        }
        try (ObjectStore out = ObjectStores.open(run.output())) {
            out.write(RUN_RESULT, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
        }
        System.out.println(String.format(Locale.ROOT, "trained steps %d..%d in %.1f s: loss %.4f -> %.4f; output %s",
                r.startStep(), r.startStep() + r.steps(), r.seconds(), r.firstLoss(), r.lastLoss(), r.output()));
    }

    /** Progress lines for the service, a line for the log every 30 s, and the cancel point. */
    private static final class Reporter implements TrainingListener {
        private long lastLog;
        private long checkpointedAt = -1;

        @Override
        public void onTrainingBegin(TrainingContext ctx) {
            System.out.println("training steps " + ctx.startStep() + ".." + ctx.endStep() + " of " + ctx.totalSteps()
                    + " into " + ctx.output().uri());
            progress(ctx.startStep(), ctx.totalSteps(), Double.NaN, Double.NaN);
        }

        @Override
        public void onStep(TrainingContext ctx, StepResult r) {
            // the checkpointer runs after this listener: the step before this one was saved if it was due
            if (cancelRequested && checkpointedAt >= 0) {
                throw new Cancelled(checkpointedAt);
            }
            progress(r.done(), ctx.totalSteps(), r.loss(), r.imgPerSec());
            long now = System.nanoTime();
            if (now - lastLog > 30_000_000_000L || r.last()) {
                lastLog = now;
                System.out.println(String.format(Locale.ROOT, "step %d/%d loss %.4f img/s %.1f", r.done(),
                        ctx.totalSteps(), r.loss(), r.imgPerSec()));
            }
            if (r.done() % ctx.settings().output().checkpointEvery() == 0) {
                checkpointedAt = cancelRequested ? r.done() : -1;
            }
        }

        @Override
        public void onCheckpoint(TrainingContext ctx, long step, double seconds) {
            ProgressLine.checkpoint(step, ctx.totalSteps(), seconds).print();
        }

        private static void progress(long done, long total, double loss, double imgPerSec) {
            new ProgressLine(done, total, loss, imgPerSec).print();
        }
    }

    /** Stops the run at a step boundary after a checkpoint. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long step;

        Cancelled(long step) {
            super("cancelled", null, false, false);
            this.step = step;
        }
    }

    /** Reads the service's pipe: {@code cancel} lines, then end of file (the service is gone): halt. */
    private static void watchService() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.strip().equals(CANCEL)) {
                        cancelRequested = true;
                    }
                }
            } catch (IOException e) {
                // the pipe broke: the service is gone too
            }
            Runtime.getRuntime().halt(137);
        }, "detcon-service-watch");
        t.setDaemon(true);
        t.start();
    }
}
