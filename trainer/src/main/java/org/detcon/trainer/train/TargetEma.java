package org.detcon.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The target network as an exponential moving average of the online one: ξ ← ξ + (1 − τ)(θ − ξ) for every
 * trainable parameter pair (backbone and projector; the predictor has no target twin). Batch-norm running
 * statistics are not averaged: the target keeps its own (detcon-spec.md section 6). Updates are in place.
 */
public final class TargetEma {

    private final List<Parameter> online = new ArrayList<>();
    private final List<Parameter> target = new ArrayList<>();

    /** Pairs the parameters of structurally identical blocks, in order. */
    public TargetEma(List<Block> onlineBlocks, List<Block> targetBlocks) {
        if (onlineBlocks.size() != targetBlocks.size()) {
            throw new IllegalArgumentException("block lists differ in length");
        }
        for (int i = 0; i < onlineBlocks.size(); i++) {
            List<Parameter> a = trainable(onlineBlocks.get(i));
            List<Parameter> b = trainable(targetBlocks.get(i));
            if (a.size() != b.size()) {
                throw new IllegalArgumentException("online and target blocks differ in structure");
            }
            online.addAll(a);
            target.addAll(b);
        }
    }

    private static List<Parameter> trainable(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter.Type t = p.getValue().getType();
            if (t != Parameter.Type.RUNNING_MEAN && t != Parameter.Type.RUNNING_VAR) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    public int size() {
        return online.size();
    }

    /** ξ ← θ (also running statistics are left alone): the target's starting point. */
    public void copyOnlineToTarget() {
        for (int i = 0; i < online.size(); i++) {
            NDArray a = online.get(i).getArray();
            NDArray b = target.get(i).getArray();
            if (!a.getShape().equals(b.getShape())) {
                throw new IllegalStateException("shape mismatch " + a.getShape() + " vs " + b.getShape());
            }
            a.copyTo(b);
        }
    }

    /** One EMA step with decay τ. */
    public void update(double tau) {
        for (int i = 0; i < online.size(); i++) {
            NDArray theta = online.get(i).getArray();
            NDArray xi = target.get(i).getArray();
            try (NDManager scope = xi.getManager().newSubManager()) {
                NDArray diff = theta.sub(xi);
                diff.attach(scope);
                NDArray delta = diff.mul(1 - tau);
                delta.attach(scope);
                xi.addi(delta);
            }
        }
    }
}
