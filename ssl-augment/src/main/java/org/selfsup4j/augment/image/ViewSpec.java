package org.selfsup4j.augment.image;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * One view's augmentation as data: the parameters of the papers' chain random resized crop,
 * horizontal flip (p = 0.5), colour jitter, grayscale, Gaussian blur and solarization, built into a
 * transform by {@link #transform(int)}. As data, a recipe can be recorded (results files), compared
 * and asserted on, which a built {@link Compose} cannot.
 *
 * <p>{@link #transform} builds the chain in the papers' order and leaves out a blur or a solarization
 * of probability 0, so a spec without them builds exactly {@link ImageRecipes#simclr}'s chain: the
 * same transforms drawing from the generator in the same order, hence the same views bit for bit.
 *
 * @param scaleMin smallest crop area fraction, in (0, 1]
 * @param scaleMax largest crop area fraction, in [scaleMin, 1]
 * @param brightness jitter brightness strength, &gt;= 0
 * @param contrast jitter contrast strength, &gt;= 0
 * @param saturation jitter saturation strength, &gt;= 0
 * @param hue jitter hue strength, in [0, 0.5]
 * @param jitterP probability of the colour jitter
 * @param grayscaleP probability of the grayscale conversion
 * @param blurP probability of the Gaussian blur (kernel {@link GaussianBlur#kernelSizeFor} of the crop side)
 * @param solarizeP probability of the solarization
 */
public record ViewSpec(double scaleMin, double scaleMax, double brightness, double contrast, double saturation,
                       double hue, double jitterP, double grayscaleP, double blurP, double solarizeP) {
    public ViewSpec {
        Checks.argument(scaleMin > 0 && scaleMin <= 1, "ViewSpec", "scaleMin must be in (0, 1], got " + scaleMin);
        Checks.inRange("ViewSpec", "scaleMax", scaleMax, scaleMin, 1);
        Checks.nonNegative("ViewSpec", "brightness", brightness);
        Checks.nonNegative("ViewSpec", "contrast", contrast);
        Checks.nonNegative("ViewSpec", "saturation", saturation);
        Checks.inRange("ViewSpec", "hue", hue, 0, 0.5);
        Checks.probability("ViewSpec", "jitterP", jitterP);
        Checks.probability("ViewSpec", "grayscaleP", grayscaleP);
        Checks.probability("ViewSpec", "blurP", blurP);
        Checks.probability("ViewSpec", "solarizeP", solarizeP);
    }

    /**
     * SimCLR's view (Chen et al. 2020, appendix A): crop of area (0.08, 1), jitter of strength s
     * ({@code 0.8s, 0.8s, 0.8s, 0.2s}) with p = {@link ImageRecipes#SIMCLR_JITTER_P}, grayscale p =
     * {@link ImageRecipes#SIMCLR_GRAYSCALE_P}.
     *
     * @param strength colour strength s: {@link ImageRecipes#SIMCLR_CIFAR_STRENGTH} or
     *                 {@link ImageRecipes#SIMCLR_IMAGENET_STRENGTH}
     * @param blurP blur probability ({@link ImageRecipes#SIMCLR_BLUR_P} on ImageNet, 0 on CIFAR)
     * @return the spec
     */
    public static ViewSpec simclr(double strength, double blurP) {
        return new ViewSpec(RandomResizedCrop.DEFAULT_SCALE_MIN, RandomResizedCrop.DEFAULT_SCALE_MAX, 0.8 * strength,
                0.8 * strength, 0.8 * strength, 0.2 * strength, ImageRecipes.SIMCLR_JITTER_P,
                ImageRecipes.SIMCLR_GRAYSCALE_P, blurP, 0);
    }

    /**
     * One of BYOL's asymmetric views (Grill et al. 2020, table 6): crop (0.08, 1), jitter
     * 0.4/0.4/0.2/0.1 with p = 0.8, grayscale p = 0.2, then the view's blur and solarization.
     *
     * @param blurP blur probability ({@link ImageRecipes#BYOL_BLUR_P} of the view)
     * @param solarizeP solarization probability ({@link ImageRecipes#BYOL_SOLARIZE_P} of the view)
     * @return the spec
     */
    public static ViewSpec byol(double blurP, double solarizeP) {
        return new ViewSpec(RandomResizedCrop.DEFAULT_SCALE_MIN, RandomResizedCrop.DEFAULT_SCALE_MAX, 0.4, 0.4, 0.2,
                0.1, ImageRecipes.SIMCLR_JITTER_P, ImageRecipes.SIMCLR_GRAYSCALE_P, blurP, solarizeP);
    }

    /**
     * @param min smallest crop area fraction
     * @param max largest crop area fraction
     * @return this spec with another crop area range (MoCo v2's (0.2, 1); multi-crop's local range)
     */
    public ViewSpec withScale(double min, double max) {
        return new ViewSpec(min, max, brightness, contrast, saturation, hue, jitterP, grayscaleP, blurP, solarizeP);
    }

    /** @return this spec without its blur (the CIFAR-sized variant of the recipes) */
    public ViewSpec withoutBlur() {
        return new ViewSpec(scaleMin, scaleMax, brightness, contrast, saturation, hue, jitterP, grayscaleP, 0,
                solarizeP);
    }

    /**
     * @param size crop side in pixels
     * @return crop, flip, jitter, grayscale, then blur and solarization where their probability is above 0
     */
    public Compose<FloatImage> transform(int size) {
        List<Transform<FloatImage>> t = new ArrayList<>();
        t.add(new RandomResizedCrop(size, scaleMin, scaleMax));
        t.add(new RandomHorizontalFlip());
        t.add(new ColorJitter(brightness, contrast, saturation, hue, jitterP));
        t.add(new RandomGrayscale(grayscaleP));
        if (blurP > 0) {
            t.add(GaussianBlur.forSide(size, blurP));
        }
        if (solarizeP > 0) {
            t.add(new RandomSolarize(solarizeP));
        }
        return new Compose<>(t);
    }
}
