package org.detcon.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.detcon.core.random.SeededShuffle;

/**
 * A {@link BatchSource} over {@code size} indexed samples (examples in memory, an evaluation dataset read lazily):
 * each epoch visits them in a seeded order ({@link #order}), the samples of a batch are prepared in parallel, each
 * as a pure function of (sample, epoch, position in the epoch) so that the batches depend on the seed only, and
 * batches run across epoch boundaries. A sample whose preparation throws {@link BadSample} is skipped: one warning
 * naming it, counted in {@link Stats#badSamples()}, and the batch takes the next sample instead (faults are a
 * function of the data, so skipping keeps the order deterministic and resumable). A whole epoch of bad samples is
 * an error.
 */
public final class IndexedSource<T> implements BatchSource<T> {

    /** Prepares sample {@code sample} (an index into the dataset) at {@code position} of {@code epoch}. */
    @FunctionalInterface
    public interface Preparer<T> {
        T prepare(int sample, long epoch, long position) throws BadSample;
    }

    /** A sample that cannot be used; the message names it and what is wrong. */
    public static final class BadSample extends Exception {
        private static final long serialVersionUID = 1L;

        public BadSample(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final long SAMPLE_SALT = 0x3C6EF372FE94F82BL;

    private final int size;
    private final long seed;
    private final int batchSize;
    private final IntFunction<String> key;
    private final Preparer<T> preparer;
    private final Consumer<String> warn;
    private Position position;
    private List<Integer> order;
    private long orderEpoch = -1;
    private long samples;
    private long bad;
    private long batches;
    private long waitNanos;

    /**
     * @param key  the name of sample i (batch keys, warnings)
     * @param warn receives one line per skipped sample
     */
    public IndexedSource(int size, long seed, int batchSize, Position start, IntFunction<String> key,
            Preparer<T> preparer, Consumer<String> warn) {
        if (size < 1 || batchSize < 1) {
            throw new IllegalArgumentException("need samples and a batch size >= 1, got " + size + ", " + batchSize);
        }
        this.size = size;
        this.seed = seed;
        this.batchSize = batchSize;
        this.key = key;
        this.preparer = preparer;
        this.warn = warn;
        this.position = start;
    }

    /** The order of {@code size} samples in {@code epoch} (indices into the dataset). */
    public static List<Integer> order(int size, long seed, long epoch) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, size).boxed().toList());
        SeededShuffle.shuffle(order, new SplittableRandom(BatchAssembler.mix(seed, epoch, -2)));
        return order;
    }

    /** The generator of the sample at {@code position} of {@code epoch} for a run seeded {@code seed}. */
    public static SplittableRandom random(long seed, long epoch, long position) {
        long h = BatchAssembler.mix(seed ^ SAMPLE_SALT, epoch, (int) (position >>> 31));
        return new SplittableRandom(BatchAssembler.mix(h, position & 0x7FFFFFFFL, 0x5EED));
    }

    private record Slot(long epoch, long index, int sample) {
    }

    private record Prepared<T>(Slot slot, T value, BadSample fault) {
    }

    @Override
    public Batch<T> next() {
        long t0 = System.nanoTime();
        List<T> items = new ArrayList<>(batchSize);
        List<String> keys = new ArrayList<>(batchSize);
        long epoch = position.epoch();
        long index = position.index();
        long faultsInARow = 0;
        while (items.size() < batchSize) {
            List<Slot> slots = new ArrayList<>();
            while (slots.size() < batchSize - items.size()) {
                if (index >= size) {
                    epoch++;
                    index = 0;
                }
                if (epoch != orderEpoch) {
                    order = order(size, seed, epoch);
                    orderEpoch = epoch;
                }
                slots.add(new Slot(epoch, index, order.get((int) index)));
                index++;
            }
            List<Prepared<T>> done = slots.parallelStream().map(this::prepare).toList();
            for (Prepared<T> p : done) {
                if (p.fault() != null) {
                    bad++;
                    warn.accept("skipped sample " + key.apply(p.slot().sample()) + ": " + p.fault().getMessage());
                    if (++faultsInARow >= size) {
                        throw new IllegalStateException("no usable sample: all " + size + " samples in a row were"
                                + " bad (last: " + p.fault().getMessage() + ")");
                    }
                } else {
                    faultsInARow = 0;
                    items.add(p.value());
                    keys.add(key.apply(p.slot().sample()));
                }
            }
        }
        position = new Position(epoch, index);
        samples += batchSize;
        batches++;
        waitNanos += System.nanoTime() - t0;
        return new Batch<>(items, keys, position);
    }

    private Prepared<T> prepare(Slot s) {
        try {
            return new Prepared<>(s, preparer.prepare(s.sample(), s.epoch(), s.index()), null);
        } catch (BadSample e) {
            return new Prepared<>(s, null, e);
        }
    }

    @Override
    public Stats stats() {
        return new Stats(samples, bad, 0, waitNanos, batches);
    }

    @Override
    public void close() {
    }
}
