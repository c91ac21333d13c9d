package org.detcon.orchestration.sweep;

import java.util.Locale;

/** The steps of a sweep, in the order they depend on each other: data → masks → pretrain → evals. */
public enum StepKind {
    DATA, MASKS, PRETRAIN, EVAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
