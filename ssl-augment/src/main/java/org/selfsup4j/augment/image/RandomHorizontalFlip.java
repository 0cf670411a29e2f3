package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/** Mirrors left to right with probability p: torchvision's {@code RandomHorizontalFlip}. */
public final class RandomHorizontalFlip implements Transform<FloatImage> {
    /** torchvision's default probability. */
    public static final double DEFAULT_P = 0.5;
    private final double p;

    /** With probability {@link #DEFAULT_P}. */
    public RandomHorizontalFlip() {
        this(DEFAULT_P);
    }

    /** @param p probability of a flip, in [0, 1] */
    public RandomHorizontalFlip(double p) {
        this.p = Checks.probability("RandomHorizontalFlip", "p", p);
    }

    /**
     * @param rng generator
     * @return whether to flip
     */
    public boolean sample(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    /**
     * @param img input
     * @param flip the draw
     * @return the (maybe) flipped image
     */
    public FloatImage apply(FloatImage img, boolean flip) {
        return flip ? ImageOps.hflip(img) : img;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
