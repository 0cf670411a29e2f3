package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;

/**
 * Crops a random box of random area and aspect ratio and resizes it (bilinear) to a fixed size:
 * torchvision's {@code RandomResizedCrop}. The box is drawn as torchvision 0.14 draws it: up to 10
 * attempts with area fraction uniform in {@code scale} and log-uniform aspect ratio in {@code ratio},
 * rounded half-to-even; if none fits, the central crop with the ratio clamped to {@code ratio}.
 * Resizing follows the tensor path ({@code antialias=False}), see {@code ImageOps.resizedCrop}.
 */
public final class RandomResizedCrop implements Transform<FloatImage> {
    /** The papers' (and torchvision's) default area range. */
    public static final double DEFAULT_SCALE_MIN = 0.08;
    /** Upper end of the default area range. */
    public static final double DEFAULT_SCALE_MAX = 1.0;
    /** The default aspect-ratio range, 3/4 .. 4/3. */
    public static final double DEFAULT_RATIO_MIN = 3.0 / 4.0;
    /** Upper end of the default aspect-ratio range. */
    public static final double DEFAULT_RATIO_MAX = 4.0 / 3.0;
    /** Largest output side accepted. */
    public static final int MAX_SIZE = 8192;
    private static final int ATTEMPTS = 10;

    /**
     * A crop box.
     *
     * @param top first row
     * @param left first column
     * @param height rows
     * @param width columns
     */
    public record Params(int top, int left, int height, int width) {
    }

    private final int outH;
    private final int outW;
    private final double scaleMin;
    private final double scaleMax;
    private final double logRatioMin;
    private final double logRatioMax;
    private final double ratioMin;
    private final double ratioMax;

    /**
     * Square output with the default scale and ratio.
     *
     * @param size output side
     */
    public RandomResizedCrop(int size) {
        this(size, size, DEFAULT_SCALE_MIN, DEFAULT_SCALE_MAX, DEFAULT_RATIO_MIN, DEFAULT_RATIO_MAX);
    }

    /**
     * Square output with the default ratio.
     *
     * @param size output side
     * @param scaleMin smallest area fraction, in (0, 1]
     * @param scaleMax largest area fraction, in [scaleMin, 1]
     */
    public RandomResizedCrop(int size, double scaleMin, double scaleMax) {
        this(size, size, scaleMin, scaleMax, DEFAULT_RATIO_MIN, DEFAULT_RATIO_MAX);
    }

    /**
     * @param outH output rows, in [1, MAX_SIZE]
     * @param outW output columns, in [1, MAX_SIZE]
     * @param scaleMin smallest area fraction, in (0, 1]
     * @param scaleMax largest area fraction, in [scaleMin, 1]
     * @param ratioMin smallest width/height ratio, &gt; 0
     * @param ratioMax largest ratio, &gt;= ratioMin
     */
    public RandomResizedCrop(int outH, int outW, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (outH < 1 || outH > MAX_SIZE || outW < 1 || outW > MAX_SIZE) {
            throw new IllegalArgumentException("RandomResizedCrop: size must be in [1, " + MAX_SIZE + "], got "
                    + outH + "x" + outW);
        }
        if (!(scaleMin > 0 && scaleMin <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale min must be in (0, 1], got " + scaleMin);
        }
        if (!(scaleMax > 0 && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale max must be in (0, 1], got " + scaleMax);
        }
        if (scaleMin > scaleMax) {
            throw new IllegalArgumentException("RandomResizedCrop: scale must have min <= max, got ("
                    + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0) || !Double.isFinite(ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop: ratio must be finite and > 0, got ("
                    + ratioMin + ", " + ratioMax + ")");
        }
        if (ratioMin > ratioMax) {
            throw new IllegalArgumentException("RandomResizedCrop: ratio must have min <= max, got ("
                    + ratioMin + ", " + ratioMax + ")");
        }
        this.outH = outH;
        this.outW = outW;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
        this.logRatioMin = Math.log(ratioMin);
        this.logRatioMax = Math.log(ratioMax);
    }

    /** @return output rows */
    public int outHeight() {
        return outH;
    }

    /** @return output columns */
    public int outWidth() {
        return outW;
    }

    /**
     * Draws a crop box for an image of the given size.
     *
     * @param rng generator
     * @param height image rows
     * @param width image columns
     * @return the box
     */
    public Params sample(SplittableRandom rng, int height, int width) {
        double area = (double) height * width;
        for (int a = 0; a < ATTEMPTS; a++) {
            double target = area * uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(uniform(rng, logRatioMin, logRatioMax));
            // Python's round() is half-to-even
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int i = rng.nextInt(height - h + 1);
                int j = rng.nextInt(width - w + 1);
                return new Params(i, j, h, w);
            }
        }
        return centralFallback(height, width, ratioMin, ratioMax);
    }

    /**
     * torchvision's fallback when no attempt fits: the central crop, its ratio clamped to the range.
     *
     * @param height image rows
     * @param width image columns
     * @param ratioMin smallest ratio
     * @param ratioMax largest ratio
     * @return the box
     */
    public static Params centralFallback(int height, int width, double ratioMin, double ratioMax) {
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < ratioMin) {
            w = width;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = height;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = width;
            h = height;
        }
        return new Params((height - h) / 2, (width - w) / 2, h, w);
    }

    /**
     * @param img input
     * @param p the box
     * @return the box resized to the output size
     */
    public FloatImage apply(FloatImage img, Params p) {
        return ImageOps.resizedCrop(img, p.top(), p.left(), p.height(), p.width(), outH, outW);
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng, input.height(), input.width()));
    }

    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
    }
}
