package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;

/**
 * An EMA coefficient rising from {@code tauBase} to {@code tauFinal} along a half cosine:
 * <pre>
 * tau(k) = tauFinal - (tauFinal - tauBase) * (cos(pi * k / K) + 1) / 2     for 0 &lt;= k &lt;= K
 * tau(k) = tauFinal                                                        for k &gt; K
 * </pre>
 * with K = {@code totalSteps}; solo-learn's {@code MomentumUpdater}. {@link ByolMomentumSchedule} is
 * the case {@code tauFinal = 1}. solo-learn's CIFAR MoCo v2+ configuration uses 0.99 -&gt; 0.999
 * ({@link #MOCO_CIFAR_BASE}, {@link #MOCO_CIFAR_FINAL}): a constant 0.999 leaves the key encoder of a
 * run of a few thousand steps close to its random initialisation.
 *
 * @param tauBase the coefficient at step 0, in [0, 1]
 * @param tauFinal the coefficient at step K and after, in [tauBase, 1]
 * @param totalSteps K, {@code > 0}
 */
public record CosineMomentumSchedule(double tauBase, double tauFinal, long totalSteps) implements MomentumSchedule {
    /** solo-learn {@code scripts/pretrain/cifar/mocov2plus.yaml}: {@code base_tau}. */
    public static final double MOCO_CIFAR_BASE = 0.99;
    /** solo-learn {@code scripts/pretrain/cifar/mocov2plus.yaml}: {@code final_tau}. */
    public static final double MOCO_CIFAR_FINAL = 0.999;

    /** @throws IllegalArgumentException unless 0 &lt;= tauBase &lt;= tauFinal &lt;= 1 and totalSteps &gt; 0 */
    public CosineMomentumSchedule {
        if (!(tauBase >= 0 && tauBase <= tauFinal && tauFinal <= 1)) {
            throw new IllegalArgumentException("CosineMomentumSchedule: expected 0 <= tauBase <= tauFinal <= 1, got "
                    + tauBase + " and " + tauFinal);
        }
        Checks.positive("CosineMomentumSchedule", "totalSteps", totalSteps);
    }

    @Override
    public double at(long step) {
        Checks.nonNegative("CosineMomentumSchedule.at", "step", step);
        if (step >= totalSteps) {
            return tauFinal;
        }
        return tauFinal - (tauFinal - tauBase) * (Math.cos(Math.PI * step / totalSteps) + 1.0) / 2.0;
    }
}
