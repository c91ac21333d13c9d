package org.detcon.trainer.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss of one step before the update, and its named parts when the objective is a sum (e.g. a detector's
 * {@code loss_rpn_cls}, {@code loss_mask}); the parts go into {@code metrics.jsonl} after {@code loss}.
 */
public record StepLoss(float total, Map<String, Float> parts) {

    public StepLoss {
        parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /** A loss without parts. */
    public static StepLoss of(float total) {
        return new StepLoss(total, Map.of());
    }
}
