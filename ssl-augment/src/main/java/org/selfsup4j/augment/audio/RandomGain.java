package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/** Scales by a gain drawn uniformly in [minDb, maxDb] decibels, with probability p. */
public final class RandomGain implements Transform<float[]> {
    private final double minDb;
    private final double maxDb;
    private final double p;

    /**
     * @param minDb lowest gain in dB
     * @param maxDb highest gain in dB, &gt;= minDb
     * @param p probability, in [0, 1]
     */
    public RandomGain(double minDb, double maxDb, double p) {
        Checks.orderedRange("RandomGain", "gain dB", minDb, maxDb);
        this.minDb = minDb;
        this.maxDb = maxDb;
        this.p = Checks.probability("RandomGain", "p", p);
    }

    /**
     * @param rng generator
     * @return the gain in dB (0 when not applied)
     */
    public double sample(SplittableRandom rng) {
        boolean apply = rng.nextDouble() < p;
        double db = minDb + (maxDb - minDb) * rng.nextDouble();
        return apply ? db : 0.0;
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        double db = sample(rng);
        return db == 0.0 ? input : AudioOps.gain(input, db);
    }
}
