package org.selfsup4j.vision.encoders;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.NormFactory;

/**
 * A recipe for a {@link Backbone}: building it twice with the same seed gives identical weights, which
 * momentum encoders (MoCo, BYOL) and the random-init baseline rely on.
 *
 * @param kind {@link Kind#CONVNET} or {@link Kind#RESNET18}
 * @param inChannels image channels (3 for RGB, 1 for gray)
 * @param width for the ConvNet, its first stage's channels (doubling per stage); for ResNet-18 a
 *              multiplier of 64 channels per stage unit (64 = the standard width)
 * @param dtype FLOAT, or DOUBLE for gradient checks
 * @param seed initial weights
 */
public record BackboneSpec(Kind kind, int inChannels, int width, DataType dtype, long seed) {
    /** The backbone families. */
    public enum Kind {
        /** {@link SmallConvNet}: four 3x3 conv-BN-ReLU stages, quick on a CPU. */
        CONVNET,
        /** {@link ResNet18}: CIFAR-style ResNet-18 (3x3 stem, no max-pool). */
        RESNET18
    }

    public BackboneSpec {
        if (kind == null || dtype == null) {
            throw new IllegalArgumentException("BackboneSpec: kind and dtype must not be null");
        }
        if (inChannels != 1 && inChannels != 3) {
            throw new IllegalArgumentException("BackboneSpec: inChannels must be 1 or 3, got " + inChannels);
        }
        Checks.positive("BackboneSpec", "width", width);
    }

    /**
     * Parses {@code "convnet"} or {@code "resnet18"} (case-insensitive).
     *
     * @param name the name
     * @return the kind
     */
    public static Kind parseKind(String name) {
        try {
            return Kind.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BackboneSpec.parseKind: expected convnet or resnet18, got " + name, e);
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
     *         ReLU into the library's BatchNorm, so they take no other
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
        };
    }
}
