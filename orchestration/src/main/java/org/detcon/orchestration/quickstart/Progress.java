package org.detcon.orchestration.quickstart;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress display: which stage runs (k of n), and within pretraining the step, the loss, seconds per step and
 * the ETA of the stage and of the whole quickstart (remaining pretraining steps at the measured rate plus the
 * remaining evaluations at their measured or assumed duration). Prints a line at most every few seconds, so it
 * reads well in a terminal and in a log file alike.
 */
final class Progress {

    private final PrintStream out;
    private final int stages;
    private final long startNanos = System.nanoTime();
    private int stage;
    private long trainStepsLeft;
    private int evalsLeft;
    private double secPerStep = Double.NaN;
    private double secPerEval = 30;
    private long lastPrint;
    private long stageStart;

    Progress(PrintStream out, int stages, long trainSteps, int evals) {
        this.out = out;
        this.stages = stages;
        this.trainStepsLeft = trainSteps;
        this.evalsLeft = evals;
    }

    void stage(String what) {
        stage++;
        stageStart = System.nanoTime();
        out.printf(Locale.ROOT, "[%d/%d] %s  (elapsed %s%s)%n", stage, stages, what, dur(elapsed()), eta());
        out.flush();
    }

    void stageDetail(String line) {
        // kept short: the backbone being evaluated
        out.println("      " + line);
    }

    void trainStep(long step, long target, float loss, long segmentStart, long segmentStartNanos) {
        trainStepsLeft = Math.max(0, trainStepsLeft - 1);
        long now = System.nanoTime();
        long done = step - segmentStart;
        if (done > 0) {
            secPerStep = (now - segmentStartNanos) / 1e9 / done;
        }
        if (now - lastPrint > 5_000_000_000L || step == target) {
            lastPrint = now;
            out.printf(Locale.ROOT, "      step %d/%d  loss %.4f  %.2f s/step  stage ETA %s%s%n", step, target, loss,
                    secPerStep, dur(secPerStep * (target - step)), eta());
            out.flush();
        }
    }

    void trainSkipped(long steps) {
        trainStepsLeft = Math.max(0, trainStepsLeft - steps);
    }

    void evalDone(boolean measured) {
        evalsLeft = Math.max(0, evalsLeft - 1);
        if (measured) {
            secPerEval = (System.nanoTime() - stageStart) / 1e9;
        }
    }

    double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String eta() {
        if (Double.isNaN(secPerStep) && trainStepsLeft > 0) {
            return "";
        }
        double s = (Double.isNaN(secPerStep) ? 0 : secPerStep * trainStepsLeft) + secPerEval * evalsLeft;
        return ", total ETA " + dur(s);
    }

    static String dur(double s) {
        long t = Math.round(s);
        return t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
