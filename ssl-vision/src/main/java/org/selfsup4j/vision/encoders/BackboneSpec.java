package org.selfsup4j.vision.encoders;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.NormFactory;

/**
 * A recipe for a {@link Backbone}: building it twice with the same seed gives identical weights, which
 * momentum encoders (MoCo, BYOL) and the random-init baseline rely on.
 *
 * @param kind {@link Kind#CONVNET}, {@link Kind#RESNET18} or {@link Kind#VIT_TINY}
 * @param inChannels image channels (3 for RGB, 1 for gray)
 * @param width for the ConvNet, its first stage's channels (doubling per stage); for ResNet-18 a
 *              multiplier of 64 channels per stage unit (64 = the standard width); not used by the
 *              ViT, whose width is DeiT-Tiny's {@link VisionTransformerConfig#TINY_DIM}
 * @param dtype FLOAT, or DOUBLE for gradient checks
 * @param seed initial weights
 * @param imageSize for the ViT, the side of its square input (its positional embeddings are one per
 *                  patch, and the patch follows the size: {@link VisionTransformerConfig#tiny}); 0 for
 *                  the convolutional kinds, which take any size
 * @param depth for the ViT, its transformer blocks (DeiT-Tiny: {@link VisionTransformerConfig#TINY_DEPTH});
 *              0 for the convolutional kinds
 */
public record BackboneSpec(Kind kind, int inChannels, int width, DataType dtype, long seed, int imageSize,
                           int depth) {
    /** The backbone families. */
    public enum Kind {
        /** {@link SmallConvNet}: four 3x3 conv-BN-ReLU stages, quick on a CPU. */
        CONVNET,
        /** {@link ResNet18}: CIFAR-style ResNet-18 (3x3 stem, no max-pool). */
        RESNET18,
        /** {@link VisionTransformer} with DeiT-Tiny's sizes ({@link VisionTransformerConfig#tiny}). */
        VIT_TINY
    }

    private static final String WHERE = "BackboneSpec";

    public BackboneSpec {
        if (kind == null || dtype == null) {
            throw new IllegalArgumentException("BackboneSpec: kind and dtype must not be null");
        }
        if (inChannels != 1 && inChannels != 3) {
            throw new IllegalArgumentException("BackboneSpec: inChannels must be 1 or 3, got " + inChannels);
        }
        Checks.positive(WHERE, "width", width);
        if (kind == Kind.VIT_TINY) {
            Checks.positive(WHERE, "depth", depth);
            vitConfig(imageSize, inChannels, depth);
        } else if (imageSize != 0 || depth != 0) {
            throw new IllegalArgumentException("BackboneSpec: imageSize and depth are the ViT's; " + kind
                    + " takes any image size and must have both 0, got " + imageSize + " and " + depth);
        }
    }

    /**
     * A convolutional backbone's spec (no image size, no depth).
     *
     * @param kind {@link Kind#CONVNET} or {@link Kind#RESNET18}
     * @param inChannels image channels
     * @param width the kind's width
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     */
    public BackboneSpec(Kind kind, int inChannels, int width, DataType dtype, long seed) {
        this(kind, inChannels, width, dtype, seed, 0, 0);
    }

    /**
     * The spec of {@code kind} for images of side {@code imageSize}: the size is kept only where the
     * kind needs it (the ViT, at DeiT-Tiny's depth {@link VisionTransformerConfig#TINY_DEPTH}).
     *
     * @param kind the family
     * @param inChannels image channels
     * @param width the convolutional kinds' width (the ViT does not use it)
     * @param imageSize side of the training images
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     * @return the spec
     */
    public static BackboneSpec forImages(Kind kind, int inChannels, int width, int imageSize, DataType dtype,
            long seed) {
        return kind == Kind.VIT_TINY
                ? new BackboneSpec(kind, inChannels, width, dtype, seed, imageSize, VisionTransformerConfig.TINY_DEPTH)
                : new BackboneSpec(kind, inChannels, width, dtype, seed);
    }

    /** The ViT's sizes, or the preset's refusal of the image size as this record's. */
    private static VisionTransformerConfig vitConfig(int imageSize, int inChannels, int depth) {
        try {
            return VisionTransformerConfig.tiny(imageSize, inChannels).withDepth(depth);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BackboneSpec: vit-tiny needs an image size that its patch divides "
                    + "(patch 4 below 96 pixels, 8 from 96 up), got imageSize " + imageSize, e);
        }
    }

    /**
     * Parses {@code "convnet"}, {@code "resnet18"} or {@code "vit-tiny"} (case-insensitive, {@code -}
     * and {@code _} interchangeable).
     *
     * @param name the name
     * @return the kind
     */
    public static Kind parseKind(String name) {
        try {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("BackboneSpec.parseKind: expected convnet, resnet18 or vit-tiny, got "
                    + name, e);
        }
    }

    /** @return a fresh backbone with this spec's weights */
    public Backbone build() {
        return build(NormFactory.BATCH_NORM);
    }

    /**
     * A fresh backbone with this spec's weights and its batch norms built by {@code norm}.
     *
     * @param norm the normalisation ({@link NormFactory#BATCH_NORM}: the library's, as {@link #build()})
     * @return the backbone
     * @throws IllegalArgumentException for ResNet-18 with another norm: its residual blocks fuse the
     *         ReLU into the library's BatchNorm, so they take no other (the ViT has no batch norm and
     *         takes any: there is nothing for it to build)
     */
    public Backbone build(NormFactory norm) {
        if (norm == null || kind == Kind.RESNET18 && norm != NormFactory.BATCH_NORM) {
            throw new IllegalArgumentException("BackboneSpec.build: expected a norm factory (any for convnet, "
                    + "NormFactory.BATCH_NORM for resnet18, whose blocks fuse ReLU into BatchNorm), got " + norm
                    + " for " + kind);
        }
        return switch (kind) {
            case CONVNET -> SmallConvNet.build(inChannels, width, dtype, seed, norm);
            case RESNET18 -> ResNet18.build(inChannels, width / (double) ResNet18.STANDARD_WIDTH, dtype, seed);
            case VIT_TINY -> vitTiny();
        };
    }

    private Backbone vitTiny() {
        VisionTransformerConfig c = vitConfig(imageSize, inChannels, depth);
        return new Backbone(new VisionTransformer(c, dtype, seed), c.dim(),
                "vit-tiny(" + imageSize + "px/" + c.patch() + ", depth " + depth + ")");
    }
}
