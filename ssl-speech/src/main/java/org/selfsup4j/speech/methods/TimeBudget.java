package org.selfsup4j.speech.methods;

import org.selfsup4j.core.Checks;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.optim.WarmupCosineSchedule;

/**
 * A wall-clock training budget, and learning-rate schedules that follow it: the schedule's step is the
 * time elapsed since {@link #start()}, so a run fits its budget on any machine and the step count it
 * reaches is what varies (runs are therefore not bit-reproducible across machines). Not thread-safe.
 *
 * <pre>
 *   p      = elapsed / budget, in [0, 1] (0 before start)
 *   lr(p)  = WarmupCosineSchedule(peak, warmup, 1) at max(p, {@link #MIN_PROGRESS})   (on a nanosecond grid)
 * </pre>
 */
public final class TimeBudget {
    /**
     * The progress the schedule never goes below: the first updates get {@code peak * 1e-3 / warmup}
     * instead of a learning rate of 0.
     */
    public static final double MIN_PROGRESS = 1e-3;
    /** Warm-up fraction of the speech runs: linear over the first 8% of the budget. */
    public static final double DEFAULT_WARMUP_FRACTION = 0.08;

    private final long budgetNanos;
    private long started;

    /** @param minutes the budget, {@code >= 0} */
    public TimeBudget(double minutes) {
        Checks.nonNegative("TimeBudget", "minutes", minutes);
        this.budgetNanos = (long) (minutes * 60e9);
    }

    /** Starts the clock (again). */
    public void start() {
        started = System.nanoTime();
    }

    /** @return nanoseconds since {@link #start()}, 0 before it */
    public long elapsedNanos() {
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    /** @return seconds since {@link #start()} */
    public double elapsedSeconds() {
        return elapsedNanos() / 1e9;
    }

    /** @return whether the budget is spent (false before {@link #start()} unless the budget is 0) */
    public boolean expired() {
        return started == 0 ? budgetNanos <= 0 : System.nanoTime() - started >= budgetNanos;
    }

    /**
     * Linear warm-up from {@link #MIN_PROGRESS} over the first {@code warmupFraction} of the budget, then
     * cosine decay to 0 at its end, read from this clock.
     *
     * @param peak the learning rate at the end of the warm-up, {@code >= 0}
     * @param warmupFraction fraction of the budget spent warming up, in [0, 1]
     * @return the schedule (ignores the step it is given)
     */
    public LearningRateSchedule schedule(double peak, double warmupFraction) {
        Checks.unitInterval("TimeBudget.schedule", "warmupFraction", warmupFraction);
        long total = Math.max(1, budgetNanos);
        WarmupCosineSchedule byTime = WarmupCosineSchedule.toZero(peak, Math.round(warmupFraction * total), total);
        return step -> rateAt(byTime, elapsedNanos());
    }

    /** The schedule's rate after {@code elapsed} nanoseconds: progress clamped to [{@link #MIN_PROGRESS}, 1]. */
    static double rateAt(WarmupCosineSchedule byTime, long elapsed) {
        long total = byTime.totalSteps();
        long floor = (long) Math.ceil(MIN_PROGRESS * total);
        return byTime.at(Math.max(floor, Math.min(total, elapsed)));
    }
}
