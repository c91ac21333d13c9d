package org.detcon.trainer.run;

import java.io.PrintWriter;
import java.util.Locale;

/** One self-overwriting status line on a stream (stderr): step, bar, loss, img/s, data wait, ETA. */
final class ProgressBar {

    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private final PrintWriter out;
    private final long total;
    private final int batchSize;
    private long lastPrint;
    private int lastLength;

    ProgressBar(PrintWriter out, long total, int batchSize) {
        this.out = out;
        this.total = total;
        this.batchSize = batchSize;
    }

    void update(long done, float loss, double imgPerSec, double waitFraction, boolean force) {
        long now = System.nanoTime();
        if (out == null || (!force && now - lastPrint < MIN_INTERVAL_NANOS)) {
            return;
        }
        lastPrint = now;
        int width = 24;
        int filled = (int) (width * done / Math.max(1, total));
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        double eta = imgPerSec > 0 ? (double) (total - done) * batchSize / imgPerSec : Double.NaN;
        String line = String.format(Locale.ROOT, "step %d/%d [%s] %3d%% loss %.4f %.1f img/s wait %.0f%% ETA %s",
                done, total, bar, 100 * done / Math.max(1, total), loss, imgPerSec, 100 * waitFraction,
                time(eta));
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    /** Prints a message on its own line, keeping the bar below it. */
    void message(String s) {
        if (out == null) {
            return;
        }
        out.print("\r" + " ".repeat(lastLength) + "\r" + s + "\n");
        out.flush();
        lastLength = 0;
        lastPrint = 0;
    }

    void finish() {
        if (out != null && lastLength > 0) {
            out.println();
            out.flush();
        }
    }

    /** Seconds as h:mm:ss. */
    static String time(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
