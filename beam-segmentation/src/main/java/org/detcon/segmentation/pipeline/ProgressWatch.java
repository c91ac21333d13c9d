package org.detcon.segmentation.pipeline;

import java.time.Duration;
import java.util.function.Consumer;

/** Polls a running job's Beam metrics on a daemon thread and passes them on as {@link MaskProgress}. */
final class ProgressWatch {

    /** Where the live metrics come from (null: not available yet). */
    @FunctionalInterface
    interface Source {
        MetricsSummary read() throws Exception;
    }

    private final Thread thread;
    private volatile boolean stopped;
    private MaskProgress last;

    private ProgressWatch(Source source, long total, long startNanos, Duration every, Consumer<MaskProgress> sink) {
        thread = new Thread(() -> {
            long interval = every.toMillis();
            while (!stopped) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                MetricsSummary m;
                try {
                    m = source.read();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    continue; // none to give this time (the job not submitted yet, a REST call timed out)
                }
                if (m != null && !stopped) {
                    MaskProgress p = MaskProgress.of(m, total, (System.nanoTime() - startNanos) / 1e9, false);
                    if (last != null) { // every count only grows (a REST snapshot may miss a finished task's)
                        p = new MaskProgress(Math.max(p.done(), last.done()), total,
                                Math.max(p.rejected(), last.rejected()), Math.max(p.written(), last.written()),
                                Math.max(p.shardsWritten(), last.shardsWritten()), p.seconds(), false);
                    }
                    last = p;
                    sink.accept(p);
                }
            }
        }, "detcon-masks-progress");
        thread.setDaemon(true);
    }

    static ProgressWatch start(Source source, long total, long startNanos, Duration every,
                               Consumer<MaskProgress> sink) {
        ProgressWatch w = new ProgressWatch(source, total, startNanos, every, sink);
        w.thread.start();
        return w;
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
