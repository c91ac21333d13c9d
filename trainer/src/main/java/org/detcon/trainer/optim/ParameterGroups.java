package org.detcon.trainer.optim;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.HashSet;
import java.util.Set;

/**
 * Which parameters LARS leaves alone (no weight decay, no trust scaling): biases and batch-norm parameters.
 *
 * <p><b>Decision</b>: they are identified by DJL's {@link Parameter.Type}, not by name: {@code BIAS} (linear and
 * conv biases), {@code GAMMA} and {@code BETA} (BatchNorm scale and shift; DJL's LayerNorm uses the same types).
 * Running statistics ({@code RUNNING_MEAN/VAR}) never receive gradients, so the optimizer never sees them.
 * Names are not used because DJL's hierarchical names depend on how blocks are nested; the type is what the layer
 * itself declares. DJL hands the optimizer only {@link Parameter#getId() parameter ids}, so the set is built from
 * the block before training (ids exist from construction, before initialisation).
 */
public final class ParameterGroups {

    private ParameterGroups() {
    }

    /** Whether a parameter of this type is excluded from weight decay and trust scaling. */
    public static boolean isExcludedType(Parameter.Type type) {
        return type == Parameter.Type.BIAS || type == Parameter.Type.GAMMA || type == Parameter.Type.BETA;
    }

    /** The ids of every excluded parameter of {@code block} (children included). */
    public static Set<String> excludedIds(Block block) {
        Set<String> ids = new HashSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (isExcludedType(p.getValue().getType())) {
                ids.add(p.getValue().getId());
            }
        }
        return ids;
    }
}
