package org.detcon.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/** An optimizer whose state is one momentum buffer per parameter (saved in checkpoints). */
public interface MomentumOptimizer {

    /** The momentum buffer of a parameter on a device, or null before its first update. */
    NDArray momentumState(String parameterId, Device device);

    /** Restores a momentum buffer (from a checkpoint) before the first update. */
    void restoreMomentum(String parameterId, NDArray value);
}
