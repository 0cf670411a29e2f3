package org.selfsup4j.core.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ConvCore;

/**
 * What {@link Conv1d} and {@link Conv2d} share: the settings and their checks, PyTorch's
 * initialisation, the parameters, the checks of an input ({@code [N, C, L]} or {@code [N, C, H, W]})
 * and the {@link ConvCore} that computes both (a 1-D convolution is a 2-D one over a height-1 view).
 * The subclasses keep their own input layout: Conv1d's view of it, and the output shape.
 */
abstract class ConvLayer implements Module {
    final int inChannels;
    final int outChannels;
    final int kernel;
    final int stride;
    final int padding;
    final DataType dtype;
    final Parameter weight;
    final Parameter bias;
    final ConvCore core;
    private final String name;
    /** 1 for {@code [N, C, L]} inputs, 2 for {@code [N, C, H, W]}. */
    private final int spatialAxes;

    /**
     * @param name the layer's name in messages and {@link #toString}
     * @param spatialAxes 1 (weight {@code [O, C, k]}) or 2 (weight {@code [O, C, k, k]})
     */
    ConvLayer(String name, int spatialAxes, int inChannels, int outChannels, int kernel, int stride, int padding,
            boolean bias, DataType dtype, SplittableRandom rng) {
        this.name = name;
        this.spatialAxes = spatialAxes;
        this.inChannels = Checks.positive(name, "inChannels", inChannels);
        this.outChannels = Checks.positive(name, "outChannels", outChannels);
        this.kernel = Checks.positive(name, "kernel", kernel);
        this.stride = Checks.positive(name, "stride", stride);
        this.padding = Checks.nonNegative(name, "padding", padding);
        this.dtype = Checks.floatType(name, dtype);
        long fanIn = (long) inChannels * (spatialAxes == 2 ? kernel * kernel : kernel);
        long[] shape = spatialAxes == 2 ? new long[] {outChannels, inChannels, kernel, kernel}
                : new long[] {outChannels, inChannels, kernel};
        this.weight = new Parameter("weight", Init.uniformFanIn(rng, fanIn, dtype, shape), true);
        this.bias = bias ? new Parameter("bias", Init.uniformFanIn(rng, fanIn, dtype, outChannels), false) : null;
        // the core sees [O, C, kH, kW] views of the parameter arrays (kH = 1 for Conv1d)
        int kH = spatialAxes == 2 ? kernel : 1;
        this.core = new ConvCore(inChannels, outChannels, kH, kernel, spatialAxes == 2 ? stride : 1, stride,
                spatialAxes == 2 ? padding : 0, padding, dtype,
                spatialAxes == 2 ? weight.value() : weight.value().reshape(outChannels, inChannels, 1, kernel),
                spatialAxes == 2 ? weight.gradient() : weight.gradient().reshape(outChannels, inChannels, 1, kernel),
                bias ? this.bias.value() : null, bias ? this.bias.gradient() : null);
    }

    /**
     * The checks every forward starts with: not null, rank and channels, data type, and a non-empty
     * batch whose every spatial extent holds the kernel with its padding.
     */
    void checkInput(INDArray input) {
        Checks.notNull(name + ".forward", "input", input);
        boolean twoD = spatialAxes == 2;
        if (input.rank() != spatialAxes + 2 || input.size(1) != inChannels) {
            throw new IllegalArgumentException(name + ".forward: expected input [N, " + inChannels + ", "
                    + (twoD ? "H, W" : "L") + "], got " + Checks.shape(input));
        }
        Checks.dataType(name + ".forward", "input", input, dtype);
        long width = input.size(input.rank() - 1);
        if (input.size(0) == 0 || (twoD && core.outH(input.size(2)) < 1) || core.outW(width) < 1) {
            throw new IllegalArgumentException(name + ".forward: input " + Checks.shape(input) + " is empty or "
                    + (twoD ? "smaller" : "shorter") + " than the kernel " + kernel + " with padding " + padding);
        }
    }

    /** The check of every backward: a forward ran, and the gradient has its output's shape. */
    void checkGradient(INDArray gradOutput) {
        Checks.state(core.ready(), name + ".backward", "backward called before forward");
        Checks.shapeEquals(name + ".backward", "gradOutput", gradOutput, lastOutputShape());
    }

    /** The shape of the last forward's output (called only after a forward). */
    abstract long[] lastOutputShape();

    /** @return the input channels */
    public int inChannels() { return inChannels; }

    /** @return the output channels */
    public int outChannels() { return outChannels; }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public String toString() {
        return name + "(" + inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride="
                + stride + ", padding=" + padding + ", bias=" + (bias != null) + ", " + dtype + ")";
    }
}
