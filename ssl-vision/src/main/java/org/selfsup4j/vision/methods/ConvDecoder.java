package org.selfsup4j.vision.methods;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.vision.nn.Reshape;
import org.selfsup4j.vision.nn.Upsample2d;

/**
 * The decoder of the autoencoder baselines, the mirror of {@link org.selfsup4j.vision.encoders.SmallConvNet}:
 * {@code Linear(latent, c0 s0 s0) -> Reshape -> BN -> ReLU}, then per stage
 * {@code Upsample2d(2) -> Conv3x3 -> BN -> ReLU} halving the channels, and a final {@code Conv3x3} to
 * the image channels (no activation: the target is the normalised image).
 *
 * <p>{@code s0 = size / 8} when {@code size} is a multiple of 8 (three upsamplings), else
 * {@code size / 4} (two; 28x28 Fashion-MNIST starts at 7x7).
 */
final class ConvDecoder {
    private ConvDecoder() {
    }

    static Sequential build(int latent, int topChannels, int outChannels, int size, DataType dtype,
            SplittableRandom rng) {
        int ups = size % 8 == 0 ? 3 : size % 4 == 0 ? 2 : -1;
        if (ups < 0) {
            throw new IllegalArgumentException("ConvDecoder.build: image size must be a multiple of 4, got " + size);
        }
        int s0 = size >> ups;
        Sequential.Builder b = Sequential.builder();
        b.add("fc", new Linear(latent, topChannels * s0 * s0, false, dtype, rng));
        b.add("reshape", new Reshape(topChannels, s0, s0));
        b.add("bn_fc", new BatchNorm(topChannels, true, dtype));
        b.add("relu_fc", new ReLU());
        int c = topChannels;
        for (int u = 0; u < ups; u++) {
            int next = Math.max(8, c / 2);
            b.add("up" + u, new Upsample2d());
            b.add("conv" + u, new Conv2d(c, next, 3, 1, 1, false, dtype, rng));
            b.add("bn" + u, new BatchNorm(next, true, dtype));
            b.add("relu" + u, new ReLU());
            c = next;
        }
        b.add("out", new Conv2d(c, outChannels, 3, 1, 1, true, dtype, rng));
        return b.build();
    }
}
