package org.detcon.trainer.run.listener;

import java.io.PrintWriter;
import java.util.Locale;
import org.detcon.trainer.run.StepResult;
import org.detcon.trainer.run.TrainingContext;
import org.detcon.trainer.run.TrainingListener;

/**
 * One self-overwriting status line on a stream (stderr): step, bar, loss, img/s, s/step, data wait, ETA; operator messages
 * (resume, skipped data) are printed above it.
 */
public final class ProgressDisplay implements TrainingListener {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private final PrintWriter out;
    private long total;
    private int batchSize;
    private long lastPrint;
    private int lastLength;

    public ProgressDisplay(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onTrainingBegin(TrainingContext ctx) {
        total = ctx.totalSteps();
        batchSize = ctx.settings().batchSize();
    }

    @Override
    public void onStep(TrainingContext ctx, StepResult r) {
        show(r.done(), total, batchSize, r.loss(), r.imgPerSec(), r.dataWait(), r.last());
    }

    /**
     * Shows a step's progress (at most every 250 ms unless {@code force}): what {@link #onStep} shows for a local
     * run, and what {@code detcon service logs -f} shows for a job from its {@code metrics.jsonl}.
     */
    public void show(long done, long total, int batchSize, double loss, double imgPerSec, double dataWait,
            boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastPrint < MIN_INTERVAL_NANOS) {
            return;
        }
        lastPrint = now;
        int width = 24;
        int filled = (int) (width * Math.min(done, Math.max(1, total)) / Math.max(1, total));
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        double eta = imgPerSec > 0 ? (double) (total - done) * batchSize / imgPerSec : Double.NaN;
        double secondsPerStep = imgPerSec > 0 ? batchSize / imgPerSec : Double.NaN;
        String line = String.format(Locale.ROOT,
                "step %d/%d [%s] %3d%% loss %.4f %.1f img/s %.2f s/step wait %.0f%% ETA %s", done, total, bar,
                100 * done / Math.max(1, total), loss, imgPerSec, secondsPerStep, 100 * dataWait, time(eta));
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Prints a message on its own line, keeping the bar below it. */
    public void message(String s) {
        out.print("\r" + " ".repeat(lastLength) + "\r" + s + "\n");
        out.flush();
        lastLength = 0;
        lastPrint = 0;
    }

    @Override
    public void close() {
        if (lastLength > 0) {
            out.println();
            out.flush();
            lastLength = 0;
        }
    }

    /** Seconds as h:mm:ss. */
    public static String time(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
