package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Group normalization (Wu and He, 2018), as PyTorch's {@code nn.GroupNorm(groups, channels)}: the
 * channels of each sample are split into {@code groups} groups, each standardised over its channels
 * and spatial positions, then scaled and shifted per channel.
 *
 * <pre>
 * y[n, c, ...] = (x - mean_{n,g}) / sqrt(var_{n,g} + eps) * weight[c] + bias[c],   g = c / (C / groups)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, C]}, {@code [N, C, L]} or {@code [N, C, H, W]}</td></tr>
 *   <tr><td>{@code weight}, {@code bias} (if affine; no weight decay)</td><td>{@code [C]}, initialised to 1 and 0</td></tr>
 * </table>
 * Training and eval modes compute the same function.
 */
public final class GroupNorm implements Module {
    /** PyTorch's default epsilon. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int groups;
    private final int channels;
    private final DataType dtype;
    private final AffineNorm norm;
    private long[] inputShape;
    private long[] shape3;

    /**
     * @param groups number of groups, dividing {@code channels}
     * @param channels C
     * @param eps added to the variance
     * @param affine whether to learn per-channel {@code weight} and {@code bias}
     * @param dtype FLOAT or DOUBLE
     */
    public GroupNorm(int groups, int channels, double eps, boolean affine, DataType dtype) {
        Checks.parts("GroupNorm", "channels", channels, "groups", groups);
        Checks.floatType("GroupNorm", dtype);
        Checks.positive("GroupNorm", "eps", eps);
        this.groups = groups;
        this.channels = channels;
        this.dtype = dtype;
        this.norm = new AffineNorm(channels, eps, affine, dtype);
    }

    /** Affine, eps 1e-5. */
    public GroupNorm(int groups, int channels, DataType dtype) {
        this(groups, channels, DEFAULT_EPS, true, dtype);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("GroupNorm.forward", "input", input);
        if (input.rank() < 2 || input.rank() > 4 || input.size(1) != channels) {
            throw new IllegalArgumentException("GroupNorm.forward: expected input [N, " + channels + ", ...] of rank 2 to 4, got "
                    + Checks.shape(input));
        }
        Checks.dataType("GroupNorm.forward", "input", input, dtype);
        Checks.nonEmpty("GroupNorm.forward", "input", input);
        long n = input.size(0);
        long s = input.length() / (n * channels);
        shape3 = new long[] {n, channels, s};
        INDArray out = norm.forward(NdArrays.view(input, n * groups, (channels / groups) * s), shape3);
        inputShape = input.shape();
        return out.reshape(inputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("GroupNorm.backward", norm.ready(), gradOutput, inputShape);
        return norm.backward(NdArrays.view(gradOutput, shape3)).reshape(inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        return norm.parameters();
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ", affine=" + norm.affine() + ", " + dtype + ")";
    }
}
