package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * Gaussian blur with sigma uniform in [sigmaMin, sigmaMax], applied with probability p:
 * torchvision's {@code GaussianBlur} wrapped in {@code RandomApply}, as SimCLR and BYOL use it
 * (kernel about 10% of the image side, sigma in [0.1, 2.0]).
 */
public final class GaussianBlur implements Transform<FloatImage> {
    /** SimCLR's sigma range, lower end. */
    public static final double DEFAULT_SIGMA_MIN = 0.1;
    /** SimCLR's sigma range, upper end. */
    public static final double DEFAULT_SIGMA_MAX = 2.0;

    /**
     * The draw.
     *
     * @param apply whether to blur
     * @param sigma the standard deviation
     */
    public record Params(boolean apply, double sigma) {
    }

    private final int kernelSize;
    private final double sigmaMin;
    private final double sigmaMax;
    private final double p;

    /**
     * @param kernelSize odd, &gt; 0
     * @param sigmaMin &gt; 0
     * @param sigmaMax &gt;= sigmaMin
     * @param p probability, in [0, 1]
     */
    public GaussianBlur(int kernelSize, double sigmaMin, double sigmaMax, double p) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("GaussianBlur: kernelSize must be odd and > 0, got " + kernelSize);
        }
        Checks.positive("GaussianBlur", "sigma min", sigmaMin);
        Checks.orderedRange("GaussianBlur", "sigma", sigmaMin, sigmaMax);
        this.kernelSize = kernelSize;
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.p = Checks.probability("GaussianBlur", "p", p);
    }

    /**
     * SimCLR's kernel for an image side: {@code int(0.1 * side)}, made odd.
     *
     * @param side image side in pixels
     * @return the kernel size
     */
    public static int kernelSizeFor(int side) {
        int k = (int) (0.1 * side);
        return k % 2 == 0 ? k + 1 : k;
    }

    /**
     * Kernel {@link #kernelSizeFor(int)}, sigma in [0.1, 2.0].
     *
     * @param side image side in pixels
     * @param p probability
     * @return the transform
     */
    public static GaussianBlur forSide(int side, double p) {
        return new GaussianBlur(kernelSizeFor(side), DEFAULT_SIGMA_MIN, DEFAULT_SIGMA_MAX, p);
    }

    /** @return the kernel size */
    public int kernelSize() {
        return kernelSize;
    }

    /**
     * @param rng generator
     * @return the draw
     */
    public Params sample(SplittableRandom rng) {
        boolean apply = rng.nextDouble() < p;
        double sigma = RandomResizedCrop.uniform(rng, sigmaMin, sigmaMax);
        return new Params(apply, sigma);
    }

    /**
     * @param img input
     * @param params the draw
     * @return the (maybe) blurred image
     */
    public FloatImage apply(FloatImage img, Params params) {
        return params.apply() ? ImageOps.gaussianBlur(img, kernelSize, params.sigma()) : img;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
