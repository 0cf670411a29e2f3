package org.selfsup4j.core.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ElementwiseKernels;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Fully connected layer, {@code y = x W^T + b}, as PyTorch's {@code nn.Linear}.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, in]} or {@code [N, T, in]} (leading axes are batch axes)</td></tr>
 *   <tr><td>output</td><td>{@code [N, out]} or {@code [N, T, out]}</td></tr>
 *   <tr><td>{@code weight}</td><td>{@code [out, in]}</td></tr>
 *   <tr><td>{@code bias}</td><td>{@code [out]} (optional, no weight decay)</td></tr>
 * </table>
 *
 * <p>Initialisation as PyTorch: weight and bias from {@code U(-1/sqrt(in), 1/sqrt(in))}.
 */
public final class Linear implements Module {
    private final int in;
    private final int out;
    private final DataType dtype;
    private final Parameter weight;
    private final Parameter bias;

    private INDArray input2d;
    private long[] inputShape;
    private long[] outputShape;
    private INDArray outBuf;
    private INDArray gradInBuf;
    private INDArray biasGradTmp;

    /**
     * @param in input features
     * @param out output features
     * @param bias whether to add a learned bias
     * @param dtype FLOAT or DOUBLE
     * @param rng source of the initial weights (consumed in order: weight, then bias)
     */
    public Linear(int in, int out, boolean bias, DataType dtype, SplittableRandom rng) {
        Checks.positive("Linear", "in", in);
        Checks.positive("Linear", "out", out);
        Checks.floatType("Linear", dtype);
        this.in = in;
        this.out = out;
        this.dtype = dtype;
        this.weight = new Parameter("weight", Init.uniformFanIn(rng, in, dtype, out, in), true);
        this.bias = bias ? new Parameter("bias", Init.uniformFanIn(rng, in, dtype, out), false) : null;
    }

    /** A float32 layer with bias, initialised from {@code seed}. */
    public Linear(int in, int out, long seed) {
        this(in, out, true, DataType.FLOAT, new SplittableRandom(seed));
    }

    public int inFeatures() { return in; }

    public int outFeatures() { return out; }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("Linear.forward", "input", input);
        if (input.rank() < 2 || input.size(-1) != in) {
            throw new IllegalArgumentException("Linear.forward: expected input [N, " + in + "] or [N, T, " + in
                    + "], got " + Checks.shape(input));
        }
        Checks.dataType("Linear.forward", "input", input, dtype);
        Checks.nonEmpty("Linear.forward", "input", input);
        long rows = input.length() / in;
        inputShape = input.shape();
        outputShape = inputShape.clone();
        outputShape[outputShape.length - 1] = out;
        input2d = NdArrays.view(input, rows, in);
        outBuf = NdArrays.reuse(outBuf, dtype, rows, out);
        Nd4j.gemm(input2d, weight.value(), outBuf, false, true, 1.0, 0.0);
        if (bias != null && (rows > Integer.MAX_VALUE
                || !ElementwiseKernels.addRowVector(outBuf, bias.value(), (int) rows, out))) {
            outBuf.addiRowVector(bias.value());
        }
        return input.rank() == 2 ? outBuf : outBuf.reshape(outputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("Linear.backward", input2d != null, gradOutput, outputShape);
        long rows = input2d.size(0);
        INDArray g = NdArrays.view(gradOutput, rows, out);
        Nd4j.gemm(g, input2d, weight.gradient(), true, false, 1.0, 1.0);
        if (bias != null && (rows > Integer.MAX_VALUE
                || !ElementwiseKernels.addColumnSums(g, bias.gradient(), (int) rows, out))) {
            biasGradTmp = NdArrays.reuse(biasGradTmp, dtype, out);
            g.sum(biasGradTmp, 0);
            bias.gradient().addi(biasGradTmp);
        }
        gradInBuf = NdArrays.reuse(gradInBuf, dtype, rows, in);
        Nd4j.gemm(g, weight.value(), gradInBuf, false, false, 1.0, 0.0);
        return inputShape.length == 2 ? gradInBuf : gradInBuf.reshape(inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        return Parameter.weightAndBias(weight, bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + ", " + out + ", bias=" + (bias != null) + ", " + dtype + ")";
    }
}
