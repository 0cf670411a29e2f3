package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.Checks;

/**
 * Shifts by a whole number of samples drawn uniformly in [-maxShift, maxShift], filling with zeros
 * or rolling over, with probability p.
 */
public final class TimeShift implements Transform<float[]> {
    private final int maxShift;
    private final boolean roll;
    private final double p;

    /**
     * @param maxShift largest shift in samples, &gt;= 0
     * @param roll whether samples pushed out re-enter at the other end
     * @param p probability, in [0, 1]
     */
    public TimeShift(int maxShift, boolean roll, double p) {
        this.maxShift = Checks.nonNegative("TimeShift", "maxShift", maxShift);
        this.roll = roll;
        this.p = Checks.probability("TimeShift", "p", p);
    }

    /**
     * @param rng generator
     * @return the shift in samples (0 when not applied)
     */
    public int sample(SplittableRandom rng) {
        boolean apply = rng.nextDouble() < p;
        int s = rng.nextInt(2 * maxShift + 1) - maxShift;
        return apply ? s : 0;
    }

    /**
     * @param x samples
     * @param shift the draw
     * @return the shifted samples
     */
    public float[] apply(float[] x, int shift) {
        return shift == 0 ? x : AudioOps.shift(x, shift, roll);
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
