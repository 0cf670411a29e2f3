package org.selfsup4j.vision.methods;

import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.vision.encoders.BackboneSpec;

/**
 * What every method assembly needs: the backbone, the image size, the run length, the optimizer's
 * base learning rate, head widths (0 = the method's default) and the normalisation of the views.
 *
 * @param backbone the backbone recipe (its seed also seeds the heads)
 * @param imageSize side of the square training crops
 * @param totalSteps planned optimizer steps (cosine schedules and BYOL's momentum read it)
 * @param learningRate the optimizer's base learning rate, e.g. {@link #DEFAULT_LEARNING_RATE} for Adam
 *                     ({@link OptimizerSpec#defaultLearningRate} for the others)
 * @param hidden head hidden width, or 0 for the method's default
 * @param out head output width, or 0 for the method's default
 * @param normalize per-channel normalisation applied after augmentation (and to evaluation images)
 * @param norm builds the batch norms of the trained network (backbone and head):
 *             {@link NormFactory#BATCH_NORM} for one process; a synchronised batch norm for
 *             data-parallel replicas (ssl-spark). Only SimCLR, VICReg and Barlow Twins take another
 *             one: MoCo's and BYOL's momentum copies and the autoencoders refuse it rather than ignore it
 */
public record MethodConfig(BackboneSpec backbone, int imageSize, long totalSteps, double learningRate, int hidden,
                           int out, Normalize normalize, NormFactory norm) {
    /**
     * Adam's base learning rate for every method here. The papers use LARS (SimCLR, BYOL, Barlow
     * Twins, VICReg) or SGD (MoCo) with batches of 256-4096 for hundreds of epochs; for runs of a few
     * epochs on a CPU Adam at 1e-3 with a short warm-up was the robust choice for all of them.
     */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** Coupled L2 weight decay (SimCLR's LARS value for CIFAR, 1e-6). */
    public static final double WEIGHT_DECAY = 1e-6;
    /** Fraction of the run spent in linear warm-up. */
    public static final double WARMUP_FRACTION = 0.05;

    public MethodConfig {
        if (backbone == null || normalize == null || norm == null) {
            throw new IllegalArgumentException("MethodConfig: backbone, normalize and norm must not be null, got "
                    + backbone + ", " + normalize + ", " + norm);
        }
        if (imageSize <= 0 || totalSteps <= 0 || !(learningRate > 0) || hidden < 0 || out < 0) {
            throw new IllegalArgumentException("MethodConfig: imageSize, totalSteps, learningRate must be > 0 and"
                    + " hidden, out >= 0, got " + imageSize + ", " + totalSteps + ", " + learningRate + ", " + hidden
                    + ", " + out);
        }
    }

    /** With the library's {@link org.selfsup4j.core.nn.BatchNorm} ({@link NormFactory#BATCH_NORM}). */
    public MethodConfig(BackboneSpec backbone, int imageSize, long totalSteps, double learningRate, int hidden,
                        int out, Normalize normalize) {
        this(backbone, imageSize, totalSteps, learningRate, hidden, out, normalize, NormFactory.BATCH_NORM);
    }

    /** The same configuration with the trained network's batch norms built by {@code factory}. */
    public MethodConfig withNorm(NormFactory factory) {
        return new MethodConfig(backbone, imageSize, totalSteps, learningRate, hidden, out, normalize, factory);
    }

    /**
     * @param method the method asking, for the message
     * @throws IllegalArgumentException unless {@link #norm} is the library's BatchNorm
     */
    void requireBatchNorm(String method) {
        if (norm != NormFactory.BATCH_NORM) {
            throw new IllegalArgumentException("MethodConfig: " + method + " builds only the library's BatchNorm "
                    + "(NormFactory.BATCH_NORM), got the norm factory " + norm);
        }
    }

    /** @return the configured hidden width, or {@code dflt} when unset */
    int hiddenOr(int dflt) {
        return hidden > 0 ? hidden : dflt;
    }

    /** @return the configured output width, or {@code dflt} when unset */
    int outOr(int dflt) {
        return out > 0 ? out : dflt;
    }
}
