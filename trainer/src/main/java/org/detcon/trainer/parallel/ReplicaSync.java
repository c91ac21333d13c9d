package org.detcon.trainer.parallel;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.detcon.trainer.optim.MomentumOptimizer;

/**
 * Keeps replicas of a block (structurally identical blocks, parameters paired in order, possibly on other devices)
 * in step: gradients are added into the primary before its optimizer step, and the primary's values (weights and
 * batch-norm running statistics, as PyTorch's DistributedDataParallel broadcasts buffers) are copied back after it,
 * so the replicas stay identical.
 */
public final class ReplicaSync {

    private ReplicaSync() {
    }

    /** Every parameter of {@code block}, running statistics included, in order. */
    public static List<Parameter> parameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue());
        }
        return out;
    }

    /** The batch-norm running means and variances of {@code block}, in order. */
    public static List<NDArray> runningStatistics(Block block) {
        List<NDArray> out = new ArrayList<>();
        for (Parameter p : parameters(block)) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR) {
                out.add(p.getArray());
            }
        }
        return out;
    }

    /** Copies every value of {@code from} into {@code to} (in place, across devices). */
    public static void broadcast(Block from, Block to) {
        List<Parameter> a = parameters(from);
        List<Parameter> b = paired(a, to);
        for (int i = 0; i < a.size(); i++) {
            a.get(i).getArray().copyTo(b.get(i).getArray());
        }
    }

    /**
     * Adds the gradients of {@code from}'s parameters to those of {@code into} (moved to its device) and zeroes
     * {@code from}'s: libtorch accumulates gradients across backward passes until they are zeroed, as the
     * optimizer does for the primary.
     */
    public static void addGradients(Block from, Block into) {
        List<Parameter> a = parameters(from);
        List<Parameter> b = paired(a, into);
        for (int i = 0; i < a.size(); i++) {
            NDArray src = a.get(i).getArray();
            NDArray dst = b.get(i).getArray();
            if (!src.hasGradient()) {
                continue;
            }
            if (!dst.hasGradient()) {
                throw new IllegalStateException("parameter " + b.get(i).getName() + " of the primary takes no "
                        + "gradient but its replica does");
            }
            try (NDArray g = src.getGradient(); NDArray moved = g.toDevice(dst.getDevice(), true);
                    NDArray acc = dst.getGradient()) {
                acc.addi(moved);
            }
            MomentumOptimizer.zeroGradient(src);
        }
    }

    private static List<Parameter> paired(List<Parameter> a, Block other) {
        List<Parameter> b = parameters(other);
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("replicas differ in structure: " + a.size() + " vs " + b.size()
                    + " parameters");
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getArray().getShape().equals(b.get(i).getArray().getShape())) {
                throw new IllegalArgumentException("replicas differ in structure at " + a.get(i).getName());
            }
        }
        return b;
    }
}
