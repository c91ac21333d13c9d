package org.detcon.trainer.parallel;

import ai.djl.Device;
import java.util.List;

/**
 * How a step cuts its global batch: {@code batchSize} rows (the batch the loss is taken over and LARS steps on)
 * split evenly over {@code devices} (a replica of the networks on each; the first is the primary, which holds the
 * optimizer and the checkpointed weights) and, on each, into micro-batches of {@code microBatch} rows. Micro-batch
 * i covers rows [i·m, (i+1)·m) of the batch and runs on replica {@link #replicaOf(int) i / (micro-batches per
 * replica)}: each replica takes a contiguous block of rows. The same device may be listed twice (two replicas on
 * one CPU: how the data-parallel invariants are tested without GPUs).
 */
public record BatchSplit(int batchSize, int microBatch, List<Device> devices) {

    public BatchSplit {
        devices = List.copyOf(devices);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
        }
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("at least one device is needed");
        }
        if (microBatch < 1 || batchSize % microBatch != 0) {
            throw new IllegalArgumentException("micro_batch must divide batch_size " + batchSize
                    + " into equal micro-batches, got " + microBatch);
        }
        if ((batchSize / microBatch) % devices.size() != 0) {
            throw new IllegalArgumentException("batch_size " + batchSize + " in micro-batches of " + microBatch
                    + " does not split evenly over " + devices.size() + " devices: make batch_size a multiple of "
                    + "micro_batch × devices (" + (long) microBatch * devices.size() + ")");
        }
    }

    /** The whole batch at once on one device: the plain step. */
    public static BatchSplit whole(int batchSize, Device device) {
        return new BatchSplit(batchSize, batchSize, List.of(device));
    }

    /** Whether the step is the plain one: one device, one micro-batch (no cached-gradient passes). */
    public boolean isWhole() {
        return devices.size() == 1 && microBatch == batchSize;
    }

    public int replicas() {
        return devices.size();
    }

    /** Micro-batches per global batch (over all devices). */
    public int microBatches() {
        return batchSize / microBatch;
    }

    /** Rows each replica gets. */
    public int rowsPerReplica() {
        return batchSize / devices.size();
    }

    /** The replica (index into {@link #devices()}) micro-batch {@code i} runs on. */
    public int replicaOf(int i) {
        return i / (microBatches() / devices.size());
    }

    /** The first row of micro-batch {@code i}. */
    public long firstRow(int i) {
        return (long) i * microBatch;
    }
}
