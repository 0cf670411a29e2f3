package org.selfsup4j.core.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ConvCore;
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
public final class Conv1d implements Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final DataType dtype;
    private final Parameter weight;
    private final Parameter bias;
    private final ConvCore core;
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
        Checks.positive("Conv1d", "inChannels", inChannels);
        Checks.positive("Conv1d", "outChannels", outChannels);
        Checks.positive("Conv1d", "kernel", kernel);
        Checks.positive("Conv1d", "stride", stride);
        if (padding < 0) {
            throw new IllegalArgumentException("Conv1d: padding must be >= 0, got " + padding);
        }
        Checks.floatType("Conv1d", dtype);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dtype = dtype;
        long fanIn = (long) inChannels * kernel;
        this.weight = new Parameter("weight",
                Init.uniformFanIn(rng, fanIn, dtype, outChannels, inChannels, kernel), true);
        this.bias = bias ? new Parameter("bias", Init.uniformFanIn(rng, fanIn, dtype, outChannels), false) : null;
        this.core = new ConvCore(inChannels, outChannels, 1, kernel, 1, stride, 0, padding, dtype,
                weight.value().reshape(outChannels, inChannels, 1, kernel),
                weight.gradient().reshape(outChannels, inChannels, 1, kernel),
                bias ? this.bias.value() : null, bias ? this.bias.gradient() : null);
    }

    /** A float32 convolution with bias, initialised from {@code seed}. */
    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, true, DataType.FLOAT, new SplittableRandom(seed));
    }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("Conv1d.forward", "input", input);
        if (input.rank() != 3 || input.size(1) != inChannels) {
            throw new IllegalArgumentException("Conv1d.forward: expected input [N, " + inChannels + ", L], got "
                    + Checks.shape(input));
        }
        Checks.dataType("Conv1d.forward", "input", input, dtype);
        if (input.size(0) == 0 || core.outW(input.size(2)) < 1) {
            throw new IllegalArgumentException("Conv1d.forward: input " + Checks.shape(input)
                    + " is empty or shorter than the kernel " + kernel + " with padding " + padding);
        }
        long n = input.size(0);
        long l = input.size(2);
        INDArray out = core.forward(NdArrays.view(input, n, inChannels, 1, l));
        inputShape = input.shape();
        outputShape = new long[] {n, outChannels, out.size(3)};
        return out.reshape(outputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(core.ready(), "Conv1d.backward", "backward called before forward");
        Checks.shapeEquals("Conv1d.backward", "gradOutput", gradOutput, outputShape);
        INDArray g = core.backward(NdArrays.view(gradOutput, outputShape[0], outChannels, 1, outputShape[2]));
        return g.reshape(inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(2);
        ps.add(weight);
        if (bias != null) {
            ps.add(bias);
        }
        return List.copyOf(ps);
    }

    @Override
    public String toString() {
        return "Conv1d(" + inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride
                + ", padding=" + padding + ", bias=" + (bias != null) + ", " + dtype + ")";
    }
}
