package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Layer normalization over the last axis, as PyTorch's {@code nn.LayerNorm(features)}.
 *
 * <pre>
 * y = (x - mean) / sqrt(var + eps) * weight + bias     (mean, biased var over the last axis of each row)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [..., features]} (rank at least 2)</td></tr>
 *   <tr><td>{@code weight}, {@code bias} (if affine; no weight decay)</td><td>{@code [features]}, initialised to 1 and 0</td></tr>
 * </table>
 * Training and eval modes compute the same function.
 */
public final class LayerNorm implements Module {
    /** PyTorch's default epsilon. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int features;
    private final DataType dtype;
    private final AffineNorm norm;
    private long[] inputShape;

    /**
     * @param features size of the last axis
     * @param eps added to the variance
     * @param affine whether to learn {@code weight} and {@code bias}
     * @param dtype FLOAT or DOUBLE
     */
    public LayerNorm(int features, double eps, boolean affine, DataType dtype) {
        Checks.positive("LayerNorm", "features", features);
        Checks.floatType("LayerNorm", dtype);
        Checks.positive("LayerNorm", "eps", eps);
        this.features = features;
        this.dtype = dtype;
        this.norm = new AffineNorm(features, eps, affine, dtype);
    }

    /** Affine, eps 1e-5. */
    public LayerNorm(int features, DataType dtype) {
        this(features, DEFAULT_EPS, true, dtype);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("LayerNorm.forward", "input", input);
        if (input.rank() < 2 || input.size(-1) != features) {
            throw new IllegalArgumentException("LayerNorm.forward: expected input [..., " + features + "] of rank >= 2, got "
                    + Checks.shape(input));
        }
        Checks.dataType("LayerNorm.forward", "input", input, dtype);
        Checks.nonEmpty("LayerNorm.forward", "input", input);
        long rows = input.length() / features;
        INDArray out = norm.forward(NdArrays.view(input, rows, features), rows, features);
        inputShape = input.shape();
        return out.reshape(inputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("LayerNorm.backward", norm.ready(), gradOutput, inputShape);
        return norm.backward(NdArrays.view(gradOutput, gradOutput.length() / features, features)).reshape(inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        return norm.parameters();
    }

    @Override
    public String toString() {
        return "LayerNorm(" + features + ", affine=" + norm.affine() + ", " + dtype + ")";
    }
}
