package org.detcon.orchestration.sweep;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep's progress as lines that read well in a terminal and in a log: each step's start, end, reuse or
 * failure with its number ({@code [3/14]}), and every few seconds while pretraining runs a status line with each
 * running cell's step and loss, the cells done and the sweep's ETA: the pretraining steps left at the measured
 * seconds per step, plus the evaluations left at their measured duration, over the parallel slots.
 */
final class SweepProgress {

    private static final long STATUS_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter out;
    private final int totalSteps;
    private final int cells;
    private final int parallel;
    private final long startNanos = System.nanoTime();
    /** Pretraining nodes: id → {steps done, total steps}. */
    private final Map<String, long[]> training = new HashMap<>();
    private final Map<String, Running> running = new LinkedHashMap<>();
    private int finished;
    private int cellsDone;
    private int evalsLeft;
    private double secPerTrainStep = Double.NaN;
    private double secPerEval = Double.NaN;
    private long lastStatus;

    private static final class Running {
        final String label;
        final long startNanos = System.nanoTime();
        long firstStep = -1;
        double loss = Double.NaN;

        Running(String label) {
            this.label = label;
        }
    }

    /** {@code pretrainTotals}: each pretraining node's id and its length in steps. */
    SweepProgress(PrintWriter out, int totalSteps, int cells, int parallel, Map<String, Long> pretrainTotals,
            int evals) {
        this.out = out;
        this.totalSteps = totalSteps;
        this.cells = cells;
        this.parallel = parallel;
        pretrainTotals.forEach((id, total) -> training.put(id, new long[] {0, total}));
        this.evalsLeft = evals;
    }

    synchronized void line(String s) {
        out.println(s);
        out.flush();
    }

    private String n() {
        return String.format(Locale.ROOT, "[%d/%d]", finished, totalSteps);
    }

    private void settle(String id, StepKind kind) {
        long[] t = training.get(id);
        if (t != null) {
            t[0] = t[1];
        }
        if (kind == StepKind.EVAL) {
            evalsLeft = Math.max(0, evalsLeft - 1);
        }
    }

    synchronized void reused(String id, String label, StepKind kind) {
        finished++;
        settle(id, kind);
        line(n() + " reused " + label);
    }

    synchronized void started(String id, String label) {
        running.put(id, new Running(label));
        line(String.format(Locale.ROOT, "[%d/%d] start  %s", finished + 1, totalSteps, label));
    }

    synchronized void progress(String id, long done, long total, double loss) {
        Running r = running.get(id);
        long[] t = training.computeIfAbsent(id, k -> new long[2]);
        t[0] = done;
        t[1] = total;
        if (r == null) {
            return;
        }
        if (r.firstStep < 0) {
            r.firstStep = done;
        } else if (done > r.firstStep) {
            secPerTrainStep = (System.nanoTime() - r.startNanos) / 1e9 / (done - r.firstStep);
        }
        if (!Double.isNaN(loss)) {
            r.loss = loss;
        }
        long now = System.nanoTime();
        if (now - lastStatus > STATUS_EVERY_NANOS) {
            lastStatus = now;
            StringBuilder sb = new StringBuilder("      ");
            for (Map.Entry<String, Running> e : running.entrySet()) {
                long[] p = training.get(e.getKey());
                if (p != null && p[1] > 0) {
                    double l = e.getValue().loss;
                    sb.append(String.format(Locale.ROOT, "%s: step %d/%d%s | ", e.getValue().label, p[0], p[1],
                            Double.isNaN(l) ? "" : String.format(Locale.ROOT, ", loss %.4f", l)));
                }
            }
            sb.append(String.format(Locale.ROOT, "cells %d/%d done, elapsed %s%s", cellsDone, cells,
                    dur(elapsed()), eta()));
            line(sb.toString());
        }
    }

    synchronized void done(String id, String label, StepKind kind, String detail) {
        Running r = running.remove(id);
        finished++;
        settle(id, kind);
        double secs = r == null ? 0 : (System.nanoTime() - r.startNanos) / 1e9;
        if (kind == StepKind.EVAL) {
            secPerEval = secs;
        }
        line(String.format(Locale.ROOT, "%s done   %s in %s%s%s", n(), label, dur(secs),
                detail.isEmpty() ? "" : " (" + detail + ")", eta()));
    }

    synchronized void failed(String id, String label, StepKind kind, String reason, boolean retrying) {
        running.remove(id);
        if (!retrying) {
            finished++;
            settle(id, kind);
        }
        line(String.format(Locale.ROOT, "%s %s %s: %s", n(), retrying ? "retry " : "FAILED", label, reason));
    }

    synchronized void skipped(String id, String label, StepKind kind, String why) {
        finished++;
        settle(id, kind);
        line(n() + " skip   " + label + ": " + why);
    }

    synchronized void cellDone() {
        cellsDone++;
    }

    double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private String eta() {
        long left = 0;
        for (long[] t : training.values()) {
            left += Math.max(0, t[1] - t[0]);
        }
        if (Double.isNaN(secPerTrainStep) && left > 0) {
            return "";
        }
        double train = left == 0 ? 0 : secPerTrainStep * left;
        double evals = (Double.isNaN(secPerEval) ? 20 : secPerEval) * evalsLeft;
        return ", sweep ETA " + dur((train + evals) / Math.max(1, parallel));
    }

    static String dur(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
    }
}
