package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * Converts to grey with probability p, keeping the channel count: torchvision's {@code RandomGrayscale}.
 */
public final class RandomGrayscale implements Transform<FloatImage> {
    /** torchvision's default probability (also SimCLR's). */
    public static final double DEFAULT_P = 0.2;
    private final double p;

    /** @param p probability, in [0, 1] */
    public RandomGrayscale(double p) {
        this.p = Checks.probability("RandomGrayscale", "p", p);
    }

    /**
     * @param rng generator
     * @return whether to convert
     */
    public boolean sample(SplittableRandom rng) {
        return rng.nextDouble() < p;
    }

    /**
     * @param img input
     * @param gray the draw
     * @return the (maybe) grey image with the input's channel count
     */
    public FloatImage apply(FloatImage img, boolean gray) {
        return gray && img.channels() == 3 ? ImageOps.toGrayscale(img, 3) : img;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
