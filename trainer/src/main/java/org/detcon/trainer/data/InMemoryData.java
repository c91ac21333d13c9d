package org.detcon.trainer.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.detcon.core.hash.ContentHash;
import org.detcon.core.random.SeededShuffle;

/**
 * Examples held in memory (tests, benchmarks): each epoch visits them in a seeded order; the views of the sample at
 * position i of epoch e are {@link BatchAssembler#makeForSample}(e, i), as for streamed shards, and batches run
 * across epoch boundaries. {@code identity} names the examples (e.g. the generator and its parameters): the run's
 * identity uses its hash.
 */
public record InMemoryData(List<Example> examples, String identity) implements TrainingData {

    public InMemoryData {
        examples = List.copyOf(examples);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples");
        }
    }

    @Override
    public long samplesPerEpoch() {
        return examples.size();
    }

    @Override
    public String contentHash() {
        return ContentHash.sha256Hex("in-memory\n" + identity);
    }

    @Override
    public String describe() {
        return "memory:" + identity;
    }

    /** The order of the examples in {@code epoch} (indices into {@link #examples()}). */
    List<Integer> order(long seed, long epoch) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, examples.size()).boxed().toList());
        SeededShuffle.shuffle(order, new SplittableRandom(BatchAssembler.mix(seed, epoch, -2)));
        return order;
    }

    @Override
    public BatchSource open(BatchAssembler assembler, int batchSize, long seed, BatchSource.Position start,
            Consumer<String> warn) {
        return new Source(assembler, batchSize, seed, start);
    }

    /** Prepares each batch when asked, its views on the common pool (each a pure function of its position). */
    private final class Source implements BatchSource {
        private final BatchAssembler assembler;
        private final int batchSize;
        private final long seed;
        private Position position;
        private List<Integer> order;
        private long orderEpoch = -1;
        private long samples;
        private long batches;
        private long waitNanos;

        Source(BatchAssembler assembler, int batchSize, long seed, Position start) {
            this.assembler = assembler;
            this.batchSize = batchSize;
            this.seed = seed;
            this.position = start;
        }

        @Override
        public Batch next() {
            long t0 = System.nanoTime();
            record Slot(long epoch, long index, Example example) {
            }
            List<Slot> slots = new ArrayList<>(batchSize);
            long epoch = position.epoch();
            long index = position.index();
            while (slots.size() < batchSize) {
                if (index >= examples.size()) {
                    epoch++;
                    index = 0;
                }
                if (epoch != orderEpoch) {
                    order = order(seed, epoch);
                    orderEpoch = epoch;
                }
                slots.add(new Slot(epoch, index, examples.get(order.get((int) index))));
                index++;
            }
            List<BatchAssembler.Pair> pairs = slots.parallelStream()
                    .map(s -> assembler.makeForSample(s.example(), s.epoch(), s.index())).toList();
            position = new Position(epoch, index);
            samples += batchSize;
            batches++;
            waitNanos += System.nanoTime() - t0;
            return new Batch(pairs, slots.stream().map(s -> s.example().key()).toList(), position);
        }

        @Override
        public Stats stats() {
            return new Stats(samples, 0, 0, waitNanos, batches);
        }

        @Override
        public void close() {
        }
    }
}
