package org.selfsup4j.vision.encoders;

import org.selfsup4j.core.Checks;

/**
 * The sizes of a {@link VisionTransformer}. The presets are DeiT-Tiny's transformer (Touvron et al.,
 * "Training data-efficient image transformers &amp; distillation through attention", ICML 2021: width
 * 192, 3 heads, MLP ratio 4, 12 blocks; 5.7 M parameters at 224x224 with 16x16 patches) on small
 * images: patch 4 at 32x32 (an 8 x 8 grid, 64 tokens, as ViT-on-CIFAR setups) and patch 8 at 96x96
 * (12 x 12, 144 tokens, STL-10's size). {@link #withDepth} gives the shallower stacks of tests and
 * CPU runs.
 *
 * @param imageSize side of the square input
 * @param channels image channels
 * @param patch patch side p, dividing {@code imageSize}
 * @param dim token width D
 * @param depth transformer blocks
 * @param heads attention heads, dividing D
 * @param mlpRatio feed-forward width over D
 */
public record VisionTransformerConfig(int imageSize, int channels, int patch, int dim, int depth, int heads,
                                      int mlpRatio) {
    /** DeiT-Tiny's token width. */
    public static final int TINY_DIM = 192;
    /** DeiT-Tiny's attention heads (64 values each). */
    public static final int TINY_HEADS = 3;
    /** DeiT-Tiny's blocks. */
    public static final int TINY_DEPTH = 12;
    /** The feed-forward width of ViT and DeiT, in multiples of D. */
    public static final int MLP_RATIO = 4;
    /** The patch side of the tiny preset at 32x32. */
    public static final int PATCH_32 = 4;
    /** The patch side of the tiny preset at 96x96. */
    public static final int PATCH_96 = 8;

    private static final String WHERE = "VisionTransformerConfig";

    public VisionTransformerConfig {
        Checks.positive(WHERE, "imageSize", imageSize);
        Checks.positive(WHERE, "channels", channels);
        Checks.positive(WHERE, "patch", patch);
        Checks.divisible(WHERE, "imageSize", imageSize, "patch", patch);
        Checks.positive(WHERE, "depth", depth);
        Checks.positive(WHERE, "mlpRatio", mlpRatio);
        Checks.parts(WHERE, "dim", dim, "heads", heads);
    }

    /**
     * The DeiT-Tiny-like preset for {@code imageSize}: patch {@link #PATCH_96} from 96 pixels up,
     * {@link #PATCH_32} below (so 32x32 gives an 8 x 8 grid and 96x96 a 12 x 12 one).
     *
     * @param imageSize side of the square input, a multiple of the patch
     * @param channels image channels
     * @return the preset at depth {@link #TINY_DEPTH}
     * @throws IllegalArgumentException when the patch does not divide {@code imageSize}
     */
    public static VisionTransformerConfig tiny(int imageSize, int channels) {
        int patch = imageSize >= 96 ? PATCH_96 : PATCH_32;
        return new VisionTransformerConfig(imageSize, channels, patch, TINY_DIM, TINY_DEPTH, TINY_HEADS, MLP_RATIO);
    }

    /** @return the same transformer with {@code depth} blocks */
    public VisionTransformerConfig withDepth(int depth) {
        return new VisionTransformerConfig(imageSize, channels, patch, dim, depth, heads, mlpRatio);
    }

    /** @return the patches per image, {@code (imageSize / patch)^2} */
    public int numPatches() {
        int side = imageSize / patch;
        return side * side;
    }

    /** @return the values per patch, {@code channels patch^2} */
    public int patchValues() {
        return channels * patch * patch;
    }
}
