package org.detcon.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.detcon.trainer.model.Encoder;

/**
 * One device's copy of a step's networks: the online encoder and, for methods with a target network, the target
 * encoder, each with the parameter store it runs with. The primary replica's networks are the {@link Pretrainer}'s
 * own; the others are kept identical to them by {@link org.detcon.trainer.parallel.ReplicaSync}. {@code manager} is
 * the replica's base manager (on its device): micro-batch scopes are made under it.
 */
record Replica(NDManager manager, Encoder online, ParameterStore onlineStore, Encoder target,
        ParameterStore targetStore) {

    /** The online network's outputs for images {@code x} and mask weights {@code w}. */
    NDList online(NDArray x, NDArray w, boolean training) {
        return online.forward(onlineStore, new NDList(x, w), training);
    }

    /** The target network's projections (no gradient: its parameters are frozen). */
    NDArray target(NDArray x, NDArray w, boolean training) {
        return target.forward(targetStore, new NDList(x, w), training).get(0);
    }
}
