package org.selfsup4j.vision.encoders;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.ResidualBlock;
import org.selfsup4j.core.nn.Sequential;

/**
 * ResNet-18 (He et al. 2016) adapted to small images as in SimCLR's CIFAR-10 experiments: the 7x7
 * stride-2 stem and max-pool are replaced by a 3x3 stride-1 convolution; four stages of two basic
 * blocks, widths {@code 64m, 128m, 256m, 512m} (m = width multiplier), strides 1, 2, 2, 2; global
 * average pooling; no classifier.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, C, H, W]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, 512m]}</td></tr>
 * </table>
 */
public final class ResNet18 {
    /** Channels of the first stage at multiplier 1. */
    public static final int STANDARD_WIDTH = 64;
    /** Basic blocks per stage. */
    public static final int BLOCKS_PER_STAGE = 2;

    private ResNet18() {
    }

    /**
     * @param inChannels image channels
     * @param widthMultiplier scales every stage's channels (1.0 = standard; at least 1 channel)
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     * @return the backbone, feature width {@code 8 * round(64 m)}
     */
    public static Backbone build(int inChannels, double widthMultiplier, DataType dtype, long seed) {
        Checks.positive("ResNet18.build", "widthMultiplier", widthMultiplier);
        int base = Math.max(1, (int) Math.round(STANDARD_WIDTH * widthMultiplier));
        SplittableRandom rng = new SplittableRandom(seed);
        Sequential.Builder b = Sequential.builder();
        b.add("stem", new Conv2d(inChannels, base, 3, 1, 1, false, dtype, rng));
        b.add("stem_bn", new BatchNorm(base, true, dtype));
        b.add("stem_relu", new ReLU());
        int in = base;
        for (int s = 0; s < 4; s++) {
            int out = base << s;
            for (int k = 0; k < BLOCKS_PER_STAGE; k++) {
                int stride = (s > 0 && k == 0) ? 2 : 1;
                b.add("layer" + (s + 1) + "_" + k, new ResidualBlock(in, out, stride, dtype, rng));
                in = out;
            }
        }
        b.add("pool", new GlobalAvgPool());
        return new Backbone(b.build(), in, "resnet18(x" + widthMultiplier + ")");
    }
}
