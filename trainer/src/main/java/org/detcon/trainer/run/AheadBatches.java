package org.detcon.trainer.run;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.detcon.trainer.data.BatchSource;

/**
 * The {@link TrainingLoop}'s batches, one ahead: while step N runs, a thread of its own ({@code detcon-ahead}) takes
 * batch N+1 from the {@link BatchSource} (waiting for the loader's decode threads if they are behind) and has the
 * {@link Learner} {@link Learner#upload upload} it (on a GPU: the host-to-device copy of the views and masks).
 * {@link #next} hands the loop its batch and starts the following one; the time it blocks is the loop's data wait
 * (the {@code data_wait} of the metrics: decode, augmentation, assembly or upload not done in time).
 *
 * <p>Numbers: batches come in the source's order whatever the timing, and an upload only makes arrays (no
 * computation, no generator draw), so a run's losses and weights are those of a loop that takes and uploads each
 * batch inside its step. Only {@code count} batches are taken: none beyond the invocation's last step, so a
 * checkpoint's data position (the position after the step's batch) is where a resumed run continues.
 *
 * <p>Threads and memory: after construction the source is touched only by the ahead thread, until {@link #close},
 * which waits for a batch still in preparation (without interrupting it: the source may be reading a file) and closes
 * its upload. A batch handed out ({@link Ready}) is closed by the loop after its step. A failure in taking or
 * uploading a batch surfaces from {@link #next} with the batch named (its step and where it starts in the data).
 */
final class AheadBatches<T> implements AutoCloseable {

    /** A batch ready for its step: the source's batch, the source's counters after it, its upload. Close it. */
    record Ready<T>(BatchSource.Batch<T> batch, BatchSource.Stats stats, Upload upload) implements AutoCloseable {
        @Override
        public void close() {
            upload.close();
        }
    }

    private final BatchSource<T> source;
    private final Learner<T> learner;
    private final ExecutorService thread;
    private long remaining;
    private long step;
    private BatchSource.Position from;
    private Future<Ready<T>> inFlight;
    private long waitNanos;

    /**
     * Starts preparing the first of {@code count} batches, those of steps {@code firstStep}, ... taken from
     * {@code source} (opened at {@code start}).
     */
    AheadBatches(BatchSource<T> source, Learner<T> learner, long firstStep, long count, BatchSource.Position start) {
        this.source = source;
        this.learner = learner;
        this.remaining = count;
        this.step = firstStep;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "detcon-ahead");
            t.setDaemon(true);
            return t;
        });
        if (remaining > 0) {
            submit(start);
        }
    }

    private void submit(BatchSource.Position start) {
        from = start;
        remaining--;
        inFlight = thread.submit(this::prepare);
    }

    /** On the ahead thread: the next batch of the source, uploaded. */
    private Ready<T> prepare() throws IOException {
        BatchSource.Batch<T> b = source.next();
        BatchSource.Stats s = source.stats();
        return new Ready<>(b, s, learner.upload(b.items()));
    }

    /**
     * The batch of the next step (blocking until it is ready: counted as data wait); starts preparing the one after
     * it, if any is left. Its {@link Ready#stats} count the loop's wait as {@code waitNanos}.
     */
    Ready<T> next() throws IOException {
        if (inFlight == null) {
            throw new IllegalStateException("no batch left to take (step " + step + ")");
        }
        long t0 = System.nanoTime();
        Ready<T> r;
        try {
            r = inFlight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what(), e);
        } catch (ExecutionException e) {
            inFlight = null;
            throw surface(e.getCause(), what());
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        inFlight = null;
        step++;
        if (remaining > 0) {
            submit(r.batch().next());
        }
        BatchSource.Stats s = r.stats();
        return new Ready<>(r.batch(), new BatchSource.Stats(s.samples(), s.badSamples(), s.badShards(), waitNanos,
                s.batches()), r.upload());
    }

    /** How long {@link #next} has blocked so far, in nanoseconds. */
    long waitNanos() {
        return waitNanos;
    }

    private String what() {
        return "the batch of step " + step + " (epoch " + from.epoch() + " from sample " + from.index() + ")";
    }

    /** The failure of preparing a batch, of the same kind, its message prefixed with the batch. */
    private static IOException surface(Throwable cause, String what) {
        String message = what + ": " + cause.getMessage();
        if (cause instanceof ConfigException) {
            throw new ConfigException(message, cause);
        }
        if (cause instanceof RuntimeException) {
            throw new IllegalStateException(message, cause);
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new IOException(message, cause);
    }

    /** Waits for a batch still in preparation and releases it; stops the ahead thread. */
    @Override
    public void close() {
        Future<Ready<T>> f = inFlight;
        inFlight = null;
        try {
            if (f != null) {
                f.get().close();
            }
        } catch (ExecutionException e) {
            // the run ends anyway (failed or stopped); nothing of this batch was handed out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // released by the ahead thread once the batch is ready (tasks run in order)
            thread.execute(() -> {
                try {
                    f.get().close();
                } catch (ExecutionException | InterruptedException ignored) {
                    // nothing to release
                }
            });
        } finally {
            thread.shutdown();
        }
    }
}
