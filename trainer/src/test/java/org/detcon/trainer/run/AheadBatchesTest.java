package org.detcon.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.detcon.trainer.checkpoint.Checkpoints;
import org.detcon.trainer.data.BatchSource;
import org.detcon.trainer.engine.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's one-batch-ahead path ({@link AheadBatches}) through the real {@link TrainingLoop}, with a learner that
 * uploads each batch into an NDManager of its own: each step gets its own batch's upload, made on the ahead thread
 * while the step before ran; no batch beyond the invocation is taken; every upload is released, also when a step
 * fails with the next batch already uploaded; a failure in taking or uploading a batch fails the run naming the
 * batch; the wait is the metrics' data_wait.
 */
class AheadBatchesTest {

    @TempDir
    Path tmp;

    /** Batches of 2 integers counting up from the position; fails at batch {@code failAt} (-1: never). */
    private static final class Counting implements BatchSource<Integer> {
        final List<String> threads;
        final long failAt;
        long index;
        long batches;
        final long sleepMillis;

        Counting(Position start, List<String> threads, long failAt, long sleepMillis) {
            this.index = start.index();
            this.threads = threads;
            this.failAt = failAt;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public Batch<Integer> next() throws IOException {
            threads.add(Thread.currentThread().getName());
            if (index / 2 == failAt) {
                throw new IOException("shard-7.tar: truncated");
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            List<Integer> items = List.of((int) index, (int) index + 1);
            index += 2;
            batches++;
            return new Batch<>(items, List.of("k" + items.get(0), "k" + items.get(1)), new Position(0, index));
        }

        @Override
        public Stats stats() {
            return new Stats(2 * batches, 0, 0, 0, batches);
        }

        @Override
        public void close() {
        }
    }

    /** Uploads each batch as an array on a manager of its own; the loss is the batch's first item. */
    private static final class Uploading implements Learner<Integer> {
        final List<NDManager> managers = new CopyOnWriteArrayList<>();
        final List<String> uploadThreads = new CopyOnWriteArrayList<>();
        final List<String> stepped = new ArrayList<>();
        final long failStep;
        final long failUpload;
        long steps;

        Uploading(long failStep, long failUpload) {
            this.failStep = failStep;
            this.failUpload = failUpload;
        }

        private record Arrays(NDManager manager, NDArray items) implements Upload {
            @Override
            public void close() {
                manager.close();
            }
        }

        @Override
        public Upload upload(List<Integer> batch) {
            uploadThreads.add(Thread.currentThread().getName());
            if (batch.get(0) / 2 == failUpload) {
                throw new IllegalArgumentException("image too small");
            }
            NDManager m = Torch.newManager();
            managers.add(m);
            return new Arrays(m, m.create(batch.stream().mapToInt(Integer::intValue).toArray()));
        }

        @Override
        public StepLoss step(List<Integer> batch, Upload uploaded) {
            NDArray a = ((Arrays) uploaded).items();
            assertTrue(a.getManager().isOpen());
            assertEquals(batch.get(0), a.toIntArray()[0]); // the step's own batch
            if (steps == failStep) {
                throw new IllegalStateException("step " + steps + " failed");
            }
            stepped.add(Thread.currentThread().getName());
            steps++;
            return StepLoss.of(batch.get(0));
        }

        @Override
        public StepLoss step(List<Integer> batch) {
            throw new AssertionError("the loop steps uploaded batches");
        }

        @Override
        public double learningRate(long k) {
            return 0.1;
        }

        @Override
        public long stepCount() {
            return steps;
        }

        @Override
        public String method() {
            return "COUNT";
        }

        @Override
        public String configHash() {
            return "0".repeat(64);
        }

        @Override
        public LinkedHashMap<String, byte[]> checkpointFiles() {
            LinkedHashMap<String, byte[]> f = new LinkedHashMap<>();
            f.put("steps.txt", Long.toString(steps).getBytes());
            return f;
        }

        @Override
        public void restoreCheckpoint(Checkpoints.Contents files, long step) {
            steps = step;
        }

        @Override
        public List<Block> parameterBlocks() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    private TrainingLoop<Integer> loop(String out, Uploading learner, List<String> sourceThreads, long failBatch,
            long sleepMillis, long steps) {
        ObjectMapper json = new ObjectMapper();
        return TrainingLoop.<Integer>builder()
                .settings(new TrainingLoop.Settings(2, 1, new OutputConfig(tmp.resolve(out).toString(), 3, 2, 1), 0))
                .identity(new TrainingLoop.Identity(json.createObjectNode().put("n", 1), "a".repeat(64), "counting"))
                .learner(() -> learner)
                .source((start, warn) -> new Counting(start, sourceThreads, failBatch, sleepMillis))
                .steps(steps, 100)
                .build();
    }

    private static void assertAllReleased(Uploading l) {
        assertFalse(l.managers.isEmpty());
        for (NDManager m : l.managers) {
            assertFalse(m.isOpen(), "an upload's manager is still open");
        }
    }

    @Test
    void eachStepGetsItsBatchUploadedAheadAndEveryUploadIsReleased() throws IOException {
        Uploading l = new Uploading(-1, -1);
        List<String> sourceThreads = new CopyOnWriteArrayList<>();
        TrainingLoop.Result r = loop("ok", l, sourceThreads, -1, 0, 5).run(4);
        assertEquals(4, r.steps());
        // 4 batches taken for 4 steps (none beyond), all on the ahead thread; steps on the caller's
        assertEquals(List.of("detcon-ahead", "detcon-ahead", "detcon-ahead", "detcon-ahead"), sourceThreads);
        assertEquals(sourceThreads, l.uploadThreads);
        assertEquals(4, l.stepped.size());
        assertTrue(l.stepped.stream().noneMatch("detcon-ahead"::equals));
        assertEquals(4, l.managers.size());
        assertAllReleased(l);
        assertEquals(8, r.data().samples());
        // resumed from the checkpoint at step 4: continues at sample 8 (the loss is the batch's first item)
        Uploading resumed = new Uploading(-1, -1);
        List<String> t2 = new CopyOnWriteArrayList<>();
        TrainingLoop.Result r2 = loop("ok", resumed, t2, -1, 0, 5).run();
        assertEquals(4, r2.startStep());
        assertEquals(8f, r2.firstLoss());
        assertEquals(1, t2.size());
        assertAllReleased(resumed);
    }

    @Test
    void aStepThatFailsReleasesTheBatchUploadedAheadOfIt() {
        Uploading l = new Uploading(2, -1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop("fail", l, new CopyOnWriteArrayList<>(), -1, 0, 6).run());
        assertEquals("step 2 failed", e.getMessage());
        // steps 0..2 got their batches, step 3's was uploaded ahead while step 2 ran: all released
        assertEquals(4, l.managers.size());
        assertAllReleased(l);
    }

    @Test
    void aFailureInTakingOrUploadingABatchFailsTheRunNamingTheBatch() {
        Uploading l = new Uploading(-1, -1);
        IOException read = assertThrows(IOException.class,
                () -> loop("read", l, new CopyOnWriteArrayList<>(), 3, 0, 6).run());
        assertEquals("the batch of step 3 (epoch 0 from sample 6): shard-7.tar: truncated", read.getMessage());
        assertEquals(3, l.stepped.size());
        assertAllReleased(l);

        Uploading u = new Uploading(-1, 2);
        IllegalStateException up = assertThrows(IllegalStateException.class,
                () -> loop("upload", u, new CopyOnWriteArrayList<>(), -1, 0, 6).run());
        assertEquals("the batch of step 2 (epoch 0 from sample 4): image too small", up.getMessage());
        assertTrue(up.getCause() instanceof IllegalArgumentException);
        assertAllReleased(u);
    }

    @Test
    void theWaitForABatchIsTheDataWait() throws IOException {
        // a source that takes 150 ms per batch and a step that takes none: the loop waits nearly all the time
        Uploading l = new Uploading(-1, -1);
        loop("wait", l, new CopyOnWriteArrayList<>(), -1, 150, 3).run();
        List<Double> waits = new ArrayList<>();
        for (String line : readLines(tmp.resolve("wait").resolve(TrainingRun.METRICS_FILE))) {
            Map<?, ?> m = new ObjectMapper().readValue(line, Map.class);
            waits.add(((Number) m.get("data_wait")).doubleValue());
        }
        assertEquals(3, waits.size());
        for (double w : waits) {
            assertTrue(w > 0.8 && w <= 1.0, waits.toString());
        }
    }

    private static List<String> readLines(Path p) throws IOException {
        return Files.readAllLines(p);
    }

}
