package org.detcon.trainer.data;

import java.util.List;
import java.util.function.Consumer;
import org.detcon.core.hash.ContentHash;

/**
 * Examples held in memory (tests, benchmarks), an {@link IndexedSource}: each epoch visits them in a seeded order;
 * the views of the sample at position i of epoch e are {@link BatchAssembler#makeForSample}(e, i), as for streamed
 * shards, and batches run across epoch boundaries. {@code identity} names the examples (e.g. the generator and its
 * parameters): the run's identity uses its hash.
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

    @Override
    public BatchSource<BatchAssembler.Pair> open(BatchAssembler assembler, int batchSize, long seed,
            BatchSource.Position start, Consumer<String> warn) {
        return new IndexedSource<>(examples.size(), seed, batchSize, start, i -> examples.get(i).key(),
                (i, epoch, position) -> assembler.makeForSample(examples.get(i), epoch, position), warn);
    }
}
