package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.core.Checks;

/**
 * The draw of the audio transforms that apply, with probability p, an amount drawn uniformly in
 * [min, max] ({@link AddNoise}'s SNR, {@link RandomGain}'s gain): a draw for whether, then one for
 * the amount, taken even when not applied so the stream never depends on the outcome.
 */
final class ChanceOfRange {
    private final double min;
    private final double max;
    private final double p;

    /**
     * @param where the transform, for messages
     * @param name the amount's name, for messages
     * @param min lowest amount
     * @param max highest amount, &gt;= min
     * @param p probability, in [0, 1]
     */
    ChanceOfRange(String where, String name, double min, double max, double p) {
        Checks.orderedRange(where, name, min, max);
        this.min = min;
        this.max = max;
        this.p = Checks.probability(where, "p", p);
    }

    /** Whether to apply: one draw. */
    boolean applies(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    /** The amount: one draw. */
    double amount(SplittableRandom rng) {
        return min + (max - min) * rng.nextDouble();
    }
}
