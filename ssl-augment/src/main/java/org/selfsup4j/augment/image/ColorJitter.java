package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.Seeds;

/**
 * Random brightness, contrast, saturation and hue in random order, applied with probability p:
 * torchvision's {@code RandomApply([ColorJitter(b, c, s, h)], p)}. A strength {@code x} draws the
 * factor uniformly from {@code [max(0, 1 - x), 1 + x]} (hue: {@code [-x, x]}); a strength of 0
 * leaves that adjustment out. The order is a uniform permutation of the four.
 */
public final class ColorJitter implements Transform<FloatImage> {
    /** Index of brightness in {@link Params#order()}. */
    public static final int BRIGHTNESS = 0;
    /** Index of contrast. */
    public static final int CONTRAST = 1;
    /** Index of saturation. */
    public static final int SATURATION = 2;
    /** Index of hue. */
    public static final int HUE = 3;

    /**
     * The draw. A factor is NaN where its strength is 0 (adjustment skipped).
     *
     * @param apply whether to jitter at all
     * @param order a permutation of {0, 1, 2, 3}
     * @param brightness brightness factor
     * @param contrast contrast factor
     * @param saturation saturation factor
     * @param hue hue shift in turns
     */
    public record Params(boolean apply, int[] order, double brightness, double contrast, double saturation, double hue) {
        /** Copies {@code order}. */
        public Params {
            order = order.clone();
        }

        @Override
        public int[] order() {
            return order.clone();
        }
    }

    private final double brightness;
    private final double contrast;
    private final double saturation;
    private final double hue;
    private final double p;

    /**
     * @param brightness strength, &gt;= 0
     * @param contrast strength, &gt;= 0
     * @param saturation strength, &gt;= 0
     * @param hue strength, in [0, 0.5]
     * @param p probability of jittering, in [0, 1]
     */
    public ColorJitter(double brightness, double contrast, double saturation, double hue, double p) {
        this.brightness = Checks.nonNegative("ColorJitter", "brightness", brightness);
        this.contrast = Checks.nonNegative("ColorJitter", "contrast", contrast);
        this.saturation = Checks.nonNegative("ColorJitter", "saturation", saturation);
        this.hue = Checks.inRange("ColorJitter", "hue", hue, 0, 0.5);
        this.p = Checks.probability("ColorJitter", "p", p);
    }

    /**
     * @param rng generator
     * @return the draw
     */
    public Params sample(SplittableRandom rng) {
        boolean apply = rng.nextDouble() < p;
        int[] order = Seeds.permutation(4, rng);
        double b = factor(rng, brightness);
        double c = factor(rng, contrast);
        double s = factor(rng, saturation);
        double h = hue == 0 ? Double.NaN : RandomResizedCrop.uniform(rng, -hue, hue);
        return new Params(apply, order, b, c, s, h);
    }

    /**
     * Applies the drawn adjustments in the drawn order.
     *
     * @param img input
     * @param params the draw
     * @return the jittered image
     */
    public static FloatImage apply(FloatImage img, Params params) {
        if (!params.apply()) {
            return img;
        }
        // indexed by BRIGHTNESS, CONTRAST, SATURATION, HUE; NaN where that adjustment is off
        double[] amount = {params.brightness(), params.contrast(), params.saturation(), params.hue()};
        FloatImage x = img;
        for (int fn : params.order) {
            if (fn < BRIGHTNESS || fn > HUE) {
                throw new IllegalArgumentException("ColorJitter.apply: order must be a permutation of 0..3, got " + fn);
            }
            if (Double.isNaN(amount[fn])) {
                continue;
            }
            x = switch (fn) {
                case BRIGHTNESS -> ImageOps.adjustBrightness(x, amount[fn]);
                case CONTRAST -> ImageOps.adjustContrast(x, amount[fn]);
                case SATURATION -> ImageOps.adjustSaturation(x, amount[fn]);
                default -> ImageOps.adjustHue(x, amount[fn]);
            };
        }
        return x;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }

    private static double factor(SplittableRandom rng, double strength) {
        return strength == 0 ? Double.NaN : RandomResizedCrop.uniform(rng, Math.max(0, 1 - strength), 1 + strength);
    }
}
