package org.selfsup4j.core.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ConvWorkspace;
import org.selfsup4j.core.kernel.ElementwiseKernels;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * ResNet basic block (He et al., 2016), as torchvision's {@code BasicBlock}:
 * <pre>
 * y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
 * conv1: 3x3, stride s, padding 1, no bias;  conv2: 3x3, stride 1, padding 1, no bias
 * shortcut: identity, or downsample = 1x1 conv (stride s, no bias) + batch norm when s != 1 or C_in != C_out
 * </pre>
 * Input {@code [N, inChannels, H, W]}, output {@code [N, outChannels, ceil(H / s), ceil(W / s)]}.
 * Parameter names follow torchvision: {@code conv1.weight}, {@code bn1.weight}, ...,
 * {@code downsample.0.weight}, {@code downsample.1.weight}; buffers {@code bn1.running_mean}, ...
 */
public final class ResidualBlock extends CompositeModule {
    private final Conv2d conv1;
    /** Computes relu(bn1(.)) itself ({@link BatchNorm#fuseRelu}): no separate ReLU pass or output array. */
    private final BatchNorm bn1;
    private final Conv2d conv2;
    private final BatchNorm bn2;
    private final Sequential downsample;
    private final int inChannels;
    private final int outChannels;
    private final DataType dtype;

    private boolean forwarded;
    private INDArray out;
    private INDArray gradSum;
    private INDArray gradIn;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param stride stride of the first convolution (and of the shortcut)
     * @param dtype FLOAT or DOUBLE
     * @param rng source of the initial weights (conv1, conv2, then the shortcut convolution)
     */
    public ResidualBlock(int inChannels, int outChannels, int stride, DataType dtype, SplittableRandom rng) {
        super("ResidualBlock", childNames(inChannels, outChannels, stride),
                layers(inChannels, outChannels, stride, dtype, rng));
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.dtype = dtype;
        this.conv1 = (Conv2d) children.get(0);
        this.bn1 = (BatchNorm) children.get(1);
        this.conv2 = (Conv2d) children.get(2);
        this.bn2 = (BatchNorm) children.get(3);
        this.downsample = children.size() == 5 ? (Sequential) children.get(4) : null;
    }

    private static boolean hasDownsample(int inChannels, int outChannels, int stride) {
        return stride != 1 || inChannels != outChannels;
    }

    /** The children's names, in checkpoint order: torchvision's. */
    private static List<String> childNames(int inChannels, int outChannels, int stride) {
        return hasDownsample(inChannels, outChannels, stride) ? List.of("conv1", "bn1", "conv2", "bn2", "downsample")
                : List.of("conv1", "bn1", "conv2", "bn2");
    }

    /** Checks the arguments, then builds the children in checkpoint order, drawing their weights in that order. */
    private static List<Module> layers(int inChannels, int outChannels, int stride, DataType dtype,
            SplittableRandom rng) {
        Checks.positive("ResidualBlock", "inChannels", inChannels);
        Checks.positive("ResidualBlock", "outChannels", outChannels);
        Checks.positive("ResidualBlock", "stride", stride);
        Checks.floatType("ResidualBlock", dtype);
        Conv2d conv1 = new Conv2d(inChannels, outChannels, 3, stride, 1, false, dtype, rng);
        BatchNorm bn1 = new BatchNorm(outChannels, true, dtype);
        bn1.fuseRelu();
        Conv2d conv2 = new Conv2d(outChannels, outChannels, 3, 1, 1, false, dtype, rng);
        BatchNorm bn2 = new BatchNorm(outChannels, true, dtype);
        if (!hasDownsample(inChannels, outChannels, stride)) {
            return List.of(conv1, bn1, conv2, bn2);
        }
        Sequential downsample = new Sequential(new Conv2d(inChannels, outChannels, 1, stride, 0, false, dtype, rng),
                new BatchNorm(outChannels, true, dtype));
        return List.of(conv1, bn1, conv2, bn2, downsample);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("ResidualBlock.forward", "input", input);
        if (input.rank() != 4 || input.size(1) != inChannels) {
            throw new IllegalArgumentException("ResidualBlock.forward: expected input [N, " + inChannels + ", H, W], got "
                    + Checks.shape(input));
        }
        INDArray h = Observed.forward(observer(), conv1, input, training);
        h = Observed.forward(observer(), bn1, h, training);
        h = Observed.forward(observer(), conv2, h, training);
        h = Observed.forward(observer(), bn2, h, training);
        INDArray shortcut = downsample != null ? Observed.forward(observer(), downsample, input, training) : input;
        out = NdArrays.reuse(out, dtype, h.shape());
        if (!ElementwiseKernels.addRelu(h, shortcut, out)) {
            // the pre-activation sum is transient: shared scratch
            INDArray sum = ConvWorkspace.shaped(ConvWorkspace.ELEMENTWISE, dtype, h.shape());
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(h, shortcut, sum));
            Nd4j.exec(new RectifiedLinear(sum, out, 0.0));
        }
        forwarded = true;
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("ResidualBlock.backward", forwarded, gradOutput, out);
        gradSum = NdArrays.reuse(gradSum, dtype, out.shape());
        ElementwiseKernels.reluGradient(out, gradOutput, gradSum);
        INDArray g = Observed.backward(observer(), bn2, gradSum);
        g = Observed.backward(observer(), conv2, g);
        g = Observed.backward(observer(), bn1, g);
        g = Observed.backward(observer(), conv1, g);
        INDArray gShort = downsample != null ? Observed.backward(observer(), downsample, gradSum) : gradSum;
        gradIn = NdArrays.reuse(gradIn, dtype, g.shape());
        Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp(g, gShort, gradIn));
        return gradIn;
    }

    @Override
    public String toString() {
        return "ResidualBlock(" + inChannels + ", " + outChannels + ", downsample=" + (downsample != null) + ", " + dtype + ")";
    }
}
