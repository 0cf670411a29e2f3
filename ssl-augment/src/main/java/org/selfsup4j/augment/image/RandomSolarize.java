package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.Checks;

/**
 * Solarizes ({@code x >= t ? 1 - x : x}) with probability p: torchvision's {@code RandomSolarize}
 * as BYOL uses it.
 */
public final class RandomSolarize implements Transform<FloatImage> {
    /** The threshold for float images in [0, 1] (BYOL). */
    public static final double DEFAULT_THRESHOLD = 0.5;
    private final double threshold;
    private final double p;

    /** @param p probability, in [0, 1] */
    public RandomSolarize(double p) {
        this(DEFAULT_THRESHOLD, p);
    }

    /**
     * @param threshold in [0, 1]
     * @param p probability, in [0, 1]
     */
    public RandomSolarize(double threshold, double p) {
        this.threshold = Checks.inRange("RandomSolarize", "threshold", threshold, 0, 1);
        this.p = Checks.probability("RandomSolarize", "p", p);
    }

    /**
     * @param rng generator
     * @return whether to solarize
     */
    public boolean sample(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    /**
     * @param img input
     * @param apply the draw
     * @return the (maybe) solarized image
     */
    public FloatImage apply(FloatImage img, boolean apply) {
        return apply ? ImageOps.solarize(img, threshold) : img;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
