package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * Speed perturbation (Ko et al., "Audio augmentation for speech recognition", 2015): resamples by a
 * factor picked uniformly from a list (default 0.9, 1.0, 1.1), changing duration and pitch together.
 * See {@code AudioOps.speed}.
 */
public final class SpeedPerturb implements Transform<float[]> {
    /** Ko et al.'s factors. */
    public static final double[] DEFAULT_FACTORS = {0.9, 1.0, 1.1};
    private final double[] factors;

    /** With {@link #DEFAULT_FACTORS}. */
    public SpeedPerturb() {
        this(DEFAULT_FACTORS);
    }

    /** @param factors the factors to pick from, each in [0.25, 4] */
    public SpeedPerturb(double... factors) {
        if (factors == null || factors.length == 0) {
            throw new IllegalArgumentException("SpeedPerturb: factors must hold at least one value, got none");
        }
        for (double f : factors) {
            Checks.inRange("SpeedPerturb", "factors", f, 0.25, 4.0);
        }
        this.factors = factors.clone();
    }

    /**
     * @param rng generator
     * @return the factor
     */
    public double sample(SplittableRandom rng) {
        return factors[rng.nextInt(factors.length)];
    }

    /**
     * @param x samples
     * @param factor the draw
     * @return the resampled samples
     */
    public float[] apply(float[] x, double factor) {
        return factor == 1.0 ? x : AudioOps.speed(x, factor);
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
