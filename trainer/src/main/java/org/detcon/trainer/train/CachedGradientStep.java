package org.detcon.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.detcon.trainer.parallel.BatchSplit;
import org.detcon.trainer.parallel.ReplicaSync;

/**
 * The gradient of a global-batch loss computed micro-batch by micro-batch, as GradCache does (Gao et al., "Scaling
 * Deep Contrastive Learning Batch Size under Memory Limited Setup", 2021): the DetCon and SimCLR losses take their
 * negatives from the whole batch, so summing per-micro-batch losses would be another loss.
 * <ol>
 *   <li>Every micro-batch of both views goes through its replica's online network without gradient (and through
 *       the target network); the loss inputs (predictions, or projections without a target) are kept on the
 *       primary device.</li>
 *   <li>The global-batch loss is taken on the concatenated kept outputs, which are leaves with a gradient: its
 *       backward pass gives dL/d(outputs) only.</li>
 *   <li>Each micro-batch is forwarded again, with gradient, and sum(outputs · their rows of dL/d(outputs))
 *       backpropagated. libtorch adds parameter gradients across backward passes until the optimizer zeroes them,
 *       so they add up to dL/dθ of the global-batch loss (chain rule; exact up to float rounding).</li>
 * </ol>
 * The caller then adds the other replicas' gradients into the primary's (their sum is the global gradient: the
 * loss's 1/B is already in dL/d(outputs)), steps the optimizer once and broadcasts the weights.
 *
 * <p>Batch norm (in training mode) then normalises with each micro-batch's statistics, not the global batch's:
 * the accumulated step equals the whole-batch step exactly only with batch norm in inference mode (tested). The
 * running statistics are updated once per micro-batch and view (the first pass's updates are undone). The second
 * pass must reproduce the first one's outputs: the networks have no dropout or other randomness.
 */
final class CachedGradientStep {

    /** The global-batch loss from the kept outputs (online outputs of both views; target outputs or null). */
    interface Loss {
        NDArray of(NDArray o1, NDArray o2, NDArray t1, NDArray t2);
    }

    private final BatchSplit split;
    private final List<Replica> replicas;
    private final int output;

    /** {@code output}: which online output feeds the loss (1: predictions, with a target; else 0). */
    CachedGradientStep(BatchSplit split, List<Replica> replicas, int output) {
        if (replicas.size() != split.replicas()) {
            throw new IllegalArgumentException(replicas.size() + " replicas for " + split.replicas() + " devices");
        }
        this.split = split;
        this.replicas = List.copyOf(replicas);
        this.output = output;
    }

    /**
     * Accumulates the gradient of {@code loss} over the batch (images {@code x1, x2} [B, 3, S, S], mask weights
     * {@code w1, w2} [B, R, g·g], on any device) into each replica's online parameters; returns the loss value.
     * Arrays that outlive a micro-batch live in {@code scope} (on the primary device).
     */
    float run(NDManager scope, NDArray x1, NDArray w1, NDArray x2, NDArray w2, boolean training, Loss loss) {
        if (x1.getShape().get(0) != split.batchSize()) {
            throw new IllegalArgumentException("batch of " + x1.getShape().get(0) + " images, but the step was set"
                    + " up for batch_size " + split.batchSize());
        }
        int n = split.microBatches();
        NDList o1 = new NDList(n);
        NDList o2 = new NDList(n);
        NDList t1 = new NDList(n);
        NDList t2 = new NDList(n);
        List<NDArray> saved = training ? saveRunningStatistics(scope) : List.of();
        forEachMicroBatch(x1, w1, x2, w2, (i, r, a1, b1, a2, b2, mb) -> {
            o1.add(onDevice(r.online(a1, b1, training).get(output), scope));
            o2.add(onDevice(r.online(a2, b2, training).get(output), scope));
            if (r.target() != null) {
                t1.add(onDevice(r.target(a1, b1, training), scope));
                t2.add(onDevice(r.target(a2, b2, training), scope));
            }
        });
        restoreRunningStatistics(saved);
        NDArray c1 = leaf(o1, scope);
        NDArray c2 = leaf(o2, scope);
        NDArray k1 = t1.isEmpty() ? null : concat(t1, scope);
        NDArray k2 = t2.isEmpty() ? null : concat(t2, scope);
        float value;
        try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
            NDArray l = loss.of(c1, c2, k1, k2);
            value = l.getFloat();
            gc.backward(l);
        }
        NDArray g1 = c1.getGradient();
        g1.attach(scope);
        NDArray g2 = c2.getGradient();
        g2.attach(scope);
        forEachMicroBatch(x1, w1, x2, w2, (i, r, a1, b1, a2, b2, mb) -> {
            NDArray d1 = rows(g1, i, mb);
            NDArray d2 = rows(g2, i, mb);
            try (GradientCollector gc = mb.getEngine().newGradientCollector()) {
                NDArray s1 = r.online(a1, b1, training).get(output).mul(d1).sum();
                NDArray s2 = r.online(a2, b2, training).get(output).mul(d2).sum();
                gc.backward(s1.add(s2));
            }
        });
        return value;
    }

    /** One micro-batch's work: its index, replica, rows of images and mask weights (on the replica), its scope. */
    private interface MicroBatchPass {
        void run(int i, Replica r, NDArray x1, NDArray w1, NDArray x2, NDArray w2, NDManager mb);
    }

    /** Runs {@code pass} on every micro-batch, in order, each in a scope of its replica closed afterwards. */
    private void forEachMicroBatch(NDArray x1, NDArray w1, NDArray x2, NDArray w2, MicroBatchPass pass) {
        for (int i = 0; i < split.microBatches(); i++) {
            Replica r = replicas.get(split.replicaOf(i));
            try (NDManager mb = r.manager().newSubManager()) {
                pass.run(i, r, rows(x1, i, mb), rows(w1, i, mb), rows(x2, i, mb), rows(w2, i, mb), mb);
            }
        }
    }

    /** Rows of micro-batch {@code i} of {@code x}, on {@code mb}'s device and manager. */
    private NDArray rows(NDArray x, int i, NDManager mb) {
        long from = split.firstRow(i);
        NDArray part = x.get(new NDIndex("{}:{}", from, from + split.microBatch()));
        part.attach(mb);
        return onDevice(part, mb);
    }

    /** {@code x} on {@code scope}'s device, attached to {@code scope}. */
    private static NDArray onDevice(NDArray x, NDManager scope) {
        Device d = scope.getDevice();
        NDArray y = x.getDevice().equals(d) ? x : x.toDevice(d, true);
        y.attach(scope);
        return y;
    }

    private static NDArray concat(NDList parts, NDManager scope) {
        NDArray c = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
        c.attach(scope);
        return c;
    }

    /** The concatenated outputs as a leaf that collects dL/d(outputs). */
    private static NDArray leaf(NDList parts, NDManager scope) {
        NDArray c = concat(parts, scope);
        c.setRequiresGradient(true);
        return c;
    }

    private List<NDArray> saveRunningStatistics(NDManager scope) {
        List<NDArray> saved = new ArrayList<>();
        for (Replica r : replicas) {
            for (NDArray s : ReplicaSync.runningStatistics(r.online())) {
                saved.add(s);
                NDArray copy = s.duplicate();
                copy.attach(scope);
                saved.add(copy);
            }
        }
        return saved;
    }

    private static void restoreRunningStatistics(List<NDArray> saved) {
        for (int i = 0; i < saved.size(); i += 2) {
            saved.get(i + 1).copyTo(saved.get(i));
        }
    }
}
