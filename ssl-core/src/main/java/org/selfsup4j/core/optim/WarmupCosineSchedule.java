package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;

/**
 * Linear warmup from 0 to {@code baseLr}, then half-cosine decay from {@code baseLr} to
 * {@code finalLr}, as in BYOL (Grill et al. 2020, {@code byol_experiment.learning_schedule}).
 *
 * <pre>
 * lr(k) = baseLr * k / W                                                     for 0 &lt;= k &lt; W
 * lr(k) = finalLr + (baseLr - finalLr) * (1 + cos(pi * (k - W) / (T - W))) / 2   for W &lt;= k &lt; T
 * lr(k) = finalLr                                                            for k &gt;= T
 * </pre>
 * with W = {@code warmupSteps}, T = {@code totalSteps}, k the 0-based step.
 *
 * <p>Convention: step 0 gets learning rate <b>0</b> (BYOL's and pl_bolts'
 * {@code LinearWarmupCosineAnnealingLR} with {@code warmup_start_lr = 0}, which solo-learn uses),
 * not {@code baseLr / W} (lightly's {@code CosineWarmupScheduler} counts {@code (k + 1) / W}).
 * The warmup ends exactly at step W with {@code baseLr}. BYOL decays to 0; {@code finalLr}
 * generalises that (solo-learn's {@code eta_min}). With {@code warmupSteps = 0} this is plain
 * cosine annealing starting at {@code baseLr}.
 *
 * @param baseLr peak learning rate, reached at step {@code warmupSteps}
 * @param warmupSteps number of linear-warmup steps, {@code 0 <= warmupSteps <= totalSteps}
 * @param totalSteps step at which {@code finalLr} is reached, {@code > 0}
 * @param finalLr learning rate at and after {@code totalSteps}, {@code >= 0}
 */
public record WarmupCosineSchedule(double baseLr, long warmupSteps, long totalSteps, double finalLr)
        implements LearningRateSchedule {

    /** @throws IllegalArgumentException for a negative rate, no steps, or a warmup longer than the run */
    public WarmupCosineSchedule {
        Checks.nonNegative("WarmupCosineSchedule", "baseLr", baseLr);
        Checks.nonNegative("WarmupCosineSchedule", "finalLr", finalLr);
        Checks.positive("WarmupCosineSchedule", "totalSteps", totalSteps);
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("WarmupCosineSchedule: warmupSteps must be in [0, totalSteps = "
                    + totalSteps + "], got " + warmupSteps);
        }
    }

    /** Warmup then cosine decay to 0, BYOL's setting. */
    public static WarmupCosineSchedule toZero(double baseLr, long warmupSteps, long totalSteps) {
        return new WarmupCosineSchedule(baseLr, warmupSteps, totalSteps, 0.0);
    }

    @Override
    public double at(long step) {
        Checks.nonNegative("WarmupCosineSchedule.at", "step", step);
        if (step < warmupSteps) {
            return baseLr * step / warmupSteps;
        }
        if (step >= totalSteps) {
            return finalLr;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return finalLr + (baseLr - finalLr) * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }
}
