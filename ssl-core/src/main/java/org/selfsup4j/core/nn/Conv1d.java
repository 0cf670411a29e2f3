package org.selfsup4j.core.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * 1-D convolution (cross-correlation) on NCW batches, as PyTorch's {@code nn.Conv1d} (dilation 1,
 * groups 1, zero padding). Runs as a 2-D convolution over a height-1 view.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, inChannels, L]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, outChannels, (L + 2p - k) / s + 1]}</td></tr>
 *   <tr><td>{@code weight}</td><td>{@code [outChannels, inChannels, k]}</td></tr>
 *   <tr><td>{@code bias}</td><td>{@code [outChannels]} (optional, no weight decay)</td></tr>
 * </table>
 *
 * <p>Initialisation as PyTorch: {@code U(-1/sqrt(inChannels * k), 1/sqrt(inChannels * k))}.
 */
public final class Conv1d extends ConvLayer {
    private long[] inputShape;
    private long[] outputShape;

    /**
     * @param inChannels input channels
     * @param outChannels output channels
     * @param kernel kernel width
     * @param stride stride
     * @param padding zero padding on each side
     * @param bias whether to add a learned bias per output channel
     * @param dtype FLOAT or DOUBLE
     * @param rng source of the initial weights (weight, then bias)
     */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
            DataType dtype, SplittableRandom rng) {
        super("Conv1d", 1, inChannels, outChannels, kernel, stride, padding, bias, dtype, rng);
    }

    /** A float32 convolution with bias, initialised from {@code seed}. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, true, DataType.FLOAT, new SplittableRandom(seed));
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        checkInput(input);
        long n = input.size(0);
        long l = input.size(2);
        INDArray out = core.forward(NdArrays.view(input, n, inChannels, 1, l));
        inputShape = input.shape();
        outputShape = new long[] {n, outChannels, out.size(3)};
        return out.reshape(outputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkGradient(gradOutput);
        INDArray g = core.backward(NdArrays.view(gradOutput, outputShape[0], outChannels, 1, outputShape[2]));
        return g.reshape(inputShape);
    }

    @Override
    long[] lastOutputShape() {
        return outputShape;
    }
}
