package org.detcon.trainer.schedule;

/**
 * Target-network EMA decay of detcon-spec.md section 6: τ_k = 1 − (1 − τ_base)(cos(πk/K) + 1)/2 (k clipped to K),
 * and the update ξ ← ξ + (1 − τ_k)(θ − ξ). τ_base is 0.996 (0.99 for runs of at most 300 epochs).
 */
public record EmaSchedule(double baseTau, long totalSteps) {

    public EmaSchedule {
        if (!(baseTau >= 0 && baseTau <= 1) || totalSteps <= 0) {
            throw new IllegalArgumentException("need 0 <= tau <= 1 and total > 0; got " + baseTau + ", " + totalSteps);
        }
    }

    /** The paper's default base decay for a run of {@code epochs} epochs. */
    public static double defaultBaseTau(double epochs) {
        return epochs <= 300 ? 0.99 : 0.996;
    }

    /** τ_k for the 0-based step k. */
    public double tau(long k) {
        double progress = Math.min(Math.max(k, 0), totalSteps) / (double) totalSteps;
        return 1 - (1 - baseTau) * (Math.cos(Math.PI * progress) + 1) / 2;
    }
}
