package org.selfsup4j.benchmarks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.ResidualBlock;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.vision.encoders.Heads;

/**
 * The networks of the training-step profiles, mirrored layer for layer by
 * {@code benchmarks/scripts/step_torch.py} and {@code benchmarks/scripts/step_resnet_torch.py}.
 */
public final class BenchmarkModels {
    /** Channels of the half-width ResNet-18 stages (torchvision's are 64-128-256-512). */
    public static final int[] RESNET_HALF_WIDTHS = {32, 64, 128, 256};
    /** Hidden width of the SimCLR projection head on the half-width ResNet-18. */
    public static final int RESNET_HEAD_HIDDEN = 512;
    /** Output width of the SimCLR projection head (the paper's 128). */
    public static final int RESNET_HEAD_OUT = Heads.SIMCLR_OUT;

    private BenchmarkModels() {
    }

    /**
     * Half-width ResNet-18 for 32x32 images, CIFAR variant (3x3 stem, stride 1, no max-pool), plus
     * SimCLR's projection head:
     * <pre>
     * conv3x3(3, 32, no bias) - BN - ReLU
     * 4 stages x 2 BasicBlocks, channels 32-64-128-256, first block strides 1, 2, 2, 2
     * global average pool -> [N, 256]
     * Linear(256, 512, no bias) - BN - ReLU - Linear(512, 128)
     * </pre>
     */
    public static Encoder resnet18Half(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DataType f = DataType.FLOAT;
        Sequential.Builder b = Sequential.builder()
                .add("conv1", new Conv2d(3, RESNET_HALF_WIDTHS[0], 3, 1, 1, false, f, r))
                .add("bn1", new BatchNorm(RESNET_HALF_WIDTHS[0], true, f))
                .add("relu", new ReLU());
        int in = RESNET_HALF_WIDTHS[0];
        for (int s = 0; s < RESNET_HALF_WIDTHS.length; s++) {
            int out = RESNET_HALF_WIDTHS[s];
            int stride = s == 0 ? 1 : 2;
            b.add("layer" + (s + 1), new Sequential(new ResidualBlock(in, out, stride, f, r),
                    new ResidualBlock(out, out, 1, f, r)));
            in = out;
        }
        b.add("avgpool", new GlobalAvgPool());
        b.add("head", Heads.simclrProjection(in, RESNET_HEAD_HIDDEN, RESNET_HEAD_OUT, 2, f, r));
        return Encoder.of(b.build());
    }
}
