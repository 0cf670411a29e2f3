package org.selfsup4j.vision.encoders;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;

/**
 * A small ConvNet for quick runs on small images: four stages of
 * {@code Conv3x3 (no bias) -> BatchNorm -> ReLU}, widths {@code w, 2w, 4w, 8w}, strides 1, 2, 2, 2,
 * then global average pooling. At 32x32 with {@code w = 32} it has 1.2 M parameters and costs about
 * 30 MFLOP per image forward (ResNet-18: 11 M and 560 MFLOP).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, C, H, W]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, 8w]}</td></tr>
 * </table>
 */
public final class SmallConvNet {
    /** First-stage width of the default net (32-64-128-256). */
    public static final int DEFAULT_WIDTH = 32;
    /** Number of conv stages. */
    public static final int STAGES = 4;

    private SmallConvNet() {
    }

    /**
     * @param inChannels image channels
     * @param width first-stage channels
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     * @return the backbone, feature width {@code 8 * width}
     */
    public static Backbone build(int inChannels, int width, DataType dtype, long seed) {
        return build(inChannels, width, dtype, seed, NormFactory.BATCH_NORM);
    }

    /**
     * As {@link #build(int, int, DataType, long)}, with the batch norms built by {@code norm}.
     *
     * @param norm builds each stage's batch norm ({@link NormFactory#BATCH_NORM}: the library's)
     * @return the backbone, feature width {@code 8 * width}
     */
    public static Backbone build(int inChannels, int width, DataType dtype, long seed, NormFactory norm) {
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential.Builder b = Sequential.builder();
        int in = inChannels;
        for (int s = 0; s < STAGES; s++) {
            int out = width << s;
            b.add("conv" + s, new Conv2d(in, out, 3, s == 0 ? 1 : 2, 1, false, dtype, rng));
            b.add("bn" + s, norm.create(out, true, dtype));
            b.add("relu" + s, new ReLU());
            in = out;
        }
        b.add("pool", new GlobalAvgPool());
        return new Backbone(b.build(), in, "convnet(" + width + "-" + 2 * width + "-" + 4 * width + "-" + 8 * width + ")");
    }
}
