package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.core.Checks;

/**
 * The draw of the audio transforms that apply, with probability p, an amount drawn uniformly in
 * [min, max] ({@link AddNoise}'s SNR, {@link RandomGain}'s gain): a draw for whether, then one for
 * the amount, taken even when not applied so the stream never depends on the outcome ({@link #draw}).
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

    /**
     * Both draws, whether first, in one call, so no transform can skip the amount's draw when it does
     * not apply.
     *
     * @param rng generator
     * @return whether to apply and the amount
     */
    Draw draw(SplittableRandom rng) {
        boolean applies = rng.nextDouble() < p;
        return new Draw(applies, min + (max - min) * rng.nextDouble());
    }

    /**
     * One draw of a {@link ChanceOfRange}.
     *
     * @param applies whether the transform applies
     * @param amount the amount, drawn whether or not it applies
     */
    record Draw(boolean applies, double amount) {
    }
}
