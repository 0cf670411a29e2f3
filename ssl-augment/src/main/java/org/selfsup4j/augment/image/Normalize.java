package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;

/** {@code (x - mean[c]) / std[c]}: torchvision's {@code Normalize}. Draws nothing. */
public final class Normalize implements Transform<FloatImage> {
    /** ImageNet channel means (RGB). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet channel standard deviations (RGB). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** CIFAR-10 channel means (RGB), as the SimCLR CIFAR code bases use them. */
    public static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f};
    /** CIFAR-10 channel standard deviations (RGB). */
    public static final float[] CIFAR10_STD = {0.2470f, 0.2435f, 0.2616f};

    private final float[] mean;
    private final float[] std;

    /**
     * @param mean one value per channel
     * @param std one positive value per channel, same length as mean
     */
    public Normalize(float[] mean, float[] std) {
        if (mean == null || std == null || mean.length != std.length || (mean.length != 1 && mean.length != 3)) {
            throw new IllegalArgumentException("Normalize: mean and std must both hold 1 or 3 values, got "
                    + (mean == null ? "null" : mean.length) + " and " + (std == null ? "null" : std.length));
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Float.isFinite(std[i]) || !Float.isFinite(mean[i])) {
                throw new IllegalArgumentException("Normalize: std[" + i + "] must be finite and > 0 (mean finite), got std "
                        + std[i] + ", mean " + mean[i]);
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** @return a copy of the per-channel means (what a pretrained-encoder file stores) */
    public float[] mean() {
        return mean.clone();
    }

    /** @return a copy of the per-channel standard deviations */
    public float[] std() {
        return std.clone();
    }

    /**
     * @param img input
     * @return the normalised image
     */
    public FloatImage apply(FloatImage img) {
        return ImageOps.normalize(img, mean, std);
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        return apply(input);
    }
}
