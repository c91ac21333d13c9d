package org.detcon.trainer.checkpoint;

import ai.djl.nn.Block;
import java.io.IOException;
import java.util.List;
import java.util.LinkedHashMap;

/**
 * What {@link Checkpoints} saves and restores: a trainer's state as named files (weights, optimizer state) plus
 * its step count, method and config hash (checked on restore). The pretrainer ({@code online.npz}, {@code target.npz},
 * {@code optimizer.npz}) and the fine-tuning learners implement it.
 */
public interface Checkpointable {

    /** Steps done so far. */
    long stepCount();

    /** The method or task, recorded in {@code state.json}. */
    String method();

    /** sha256 of the config the state belongs to ({@link Checkpoints#configHash}); a restore checks it. */
    String configHash();

    /** The state's files, name → bytes, in the order they are written. */
    LinkedHashMap<String, byte[]> checkpointFiles() throws IOException;

    /** Restores the state from a checkpoint's verified files, and the step count. */
    void restoreCheckpoint(Checkpoints.Contents files, long step) throws IOException;

    /** The blocks whose parameters must be finite before a checkpoint is saved. */
    List<Block> parameterBlocks();
}
