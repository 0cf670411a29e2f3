package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;

/**
 * BYOL's target-network EMA coefficient, rising from {@code tauBase} to 1 along a half cosine:
 * <pre>
 * tau(k) = 1 - (1 - tauBase) * (cos(pi * k / K) + 1) / 2     for 0 &lt;= k &lt;= K
 * tau(k) = 1                                                 for k &gt; K
 * </pre>
 * with K = {@code totalSteps}. tau(0) = tauBase, tau(K) = 1.
 *
 * <p>Grill et al., "Bootstrap Your Own Latent", NeurIPS 2020, section 3.2 (tau_base = 0.996);
 * solo-learn's {@code MomentumUpdater} with {@code final_tau = 1} computes the same.
 *
 * @param tauBase the coefficient at step 0, in [0, 1]
 * @param totalSteps K, the step at which tau reaches 1, {@code > 0}
 */
public record ByolMomentumSchedule(double tauBase, long totalSteps) implements MomentumSchedule {
    /** BYOL's tau_base. */
    public static final double DEFAULT_TAU_BASE = 0.996;

    /** @throws IllegalArgumentException if tauBase is outside [0, 1] or totalSteps &lt;= 0 */
    public ByolMomentumSchedule {
        Checks.inRange("ByolMomentumSchedule", "tauBase", tauBase, 0, 1);
        Checks.positive("ByolMomentumSchedule", "totalSteps", totalSteps);
    }

    /** BYOL's schedule, tauBase 0.996, over the given number of steps. */
    public static ByolMomentumSchedule byol(long totalSteps) {
        return new ByolMomentumSchedule(DEFAULT_TAU_BASE, totalSteps);
    }

    @Override
    public double at(long step) {
        Checks.nonNegative("ByolMomentumSchedule.at", "step", step);
        if (step >= totalSteps) {
            return 1.0;
        }
        return 1.0 - (1.0 - tauBase) * (Math.cos(Math.PI * step / totalSteps) + 1.0) / 2.0;
    }
}
