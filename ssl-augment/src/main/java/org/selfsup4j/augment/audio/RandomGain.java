package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;

/** Scales by a gain drawn uniformly in [minDb, maxDb] decibels, with probability p. */
public final class RandomGain implements Transform<float[]> {
    private final ChanceOfRange gain;

    /**
     * @param minDb lowest gain in dB
     * @param maxDb highest gain in dB, &gt;= minDb
     * @param p probability, in [0, 1]
     */
    public RandomGain(double minDb, double maxDb, double p) {
        this.gain = new ChanceOfRange("RandomGain", "gain dB", minDb, maxDb, p);
    }

    /**
     * @param rng generator
     * @return the gain in dB (0 when not applied)
     */
    public double sample(SplittableRandom rng) {
        ChanceOfRange.Draw d = gain.draw(rng);
        return d.applies() ? d.amount() : 0.0;
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        double db = sample(rng);
        return db == 0.0 ? input : AudioOps.gain(input, db);
    }
}
