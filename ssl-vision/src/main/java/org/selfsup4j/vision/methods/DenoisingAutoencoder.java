package org.selfsup4j.vision.methods;

import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.vision.nn.RandomPatchMask;

/**
 * Denoising autoencoder baseline (Vincent et al. 2008) with masking noise by patches: the backbone
 * sees the view with {@link #MASK_RATIO} of its {@link #MASK_PATCH}-pixel patches zeroed
 * ({@link RandomPatchMask}), and {@link ConvDecoder} reconstructs the clean view from the pooled
 * features; squared error over the whole image, as {@link Autoencoder}. Evaluation uses the backbone
 * alone, on clean images.
 *
 * <p>Why: the plain autoencoder's features stop improving for kNN after a few epochs (about +7 points
 * over random init on cifar10-subset) while its reconstruction error keeps falling: the pooled
 * features learn colour and layout, which is enough to redraw the image. Filling in missing patches
 * needs what the rest of the image shows, as in context encoders (Pathak et al. 2016) and masked
 * image modelling (SimMIM, Xie et al. 2022, whose CNN setting masks about half the image).
 */
public final class DenoisingAutoencoder {
    /** Patch side in pixels: a 4 x 4 grid of patches on 32 x 32 images. */
    public static final int MASK_PATCH = 8;
    /** Fraction of the patches zeroed in each image. */
    public static final double MASK_RATIO = 0.5;

    private DenoisingAutoencoder() {
    }

    /**
     * @param cfg backbone, size, run length
     * @param options the optimizer (the views are one flip, whatever {@code options} say)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        RandomPatchMask mask = new RandomPatchMask(MASK_PATCH, MASK_RATIO, Assembly.headRng(cfg, 2).nextLong());
        return Autoencoder.assemble("dae", cfg, options,
                backbone -> Sequential.builder().add("mask", mask).add("backbone", backbone.module()).build());
    }
}
