package org.selfsup4j.core.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * 2-D convolution (cross-correlation) on NCHW batches with a square kernel, as PyTorch's
 * {@code nn.Conv2d} (dilation 1, groups 1, zero padding).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, inChannels, H, W]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, outChannels, (H + 2p - k) / s + 1, (W + 2p - k) / s + 1]}</td></tr>
 *   <tr><td>{@code weight}</td><td>{@code [outChannels, inChannels, k, k]}</td></tr>
 *   <tr><td>{@code bias}</td><td>{@code [outChannels]} (optional, no weight decay)</td></tr>
 * </table>
 *
 * <p>Initialisation as PyTorch: weight and bias from {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))},
 * {@code fanIn = inChannels * k * k}.
 */
public final class Conv2d extends ConvLayer {

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernel kernel height and width
     * @param stride stride along both axes
     * @param padding zero padding on each side of both axes
     * @param bias whether to add a learned bias per output channel
     * @param dtype FLOAT or DOUBLE
     * @param rng source of the initial weights (weight, then bias)
     */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
            DataType dtype, SplittableRandom rng) {
        super("Conv2d", 2, inChannels, outChannels, kernel, stride, padding, bias, dtype, rng);
    }

    /** A float32 convolution with bias, initialised from {@code seed}. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, true, DataType.FLOAT, new SplittableRandom(seed));
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        checkInput(input);
        return core.forward(input);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkGradient(gradOutput);
        return core.backward(gradOutput);
    }

    @Override
    long[] lastOutputShape() {
        return core.outputShape();
    }
}
