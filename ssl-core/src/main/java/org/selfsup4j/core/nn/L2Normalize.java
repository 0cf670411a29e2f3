package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Row-wise L2 normalization, {@code u_i = x_i / max(||x_i||, eps)} (PyTorch's
 * {@code F.normalize(x, dim=1)}), and its backward pass,
 * <pre>
 *   dL/dx_i = (dL/du_i - u_i (u_i . dL/du_i)) / max(||x_i||, eps)
 * </pre>
 * (exact above the floor; a row at the floor, norm below 1e-12, gets the same formula rather than
 * the derivative of {@code x / eps}: no trained network gives such a row, and either is finite).
 * The end of SwAV's projector ({@code l2norm}) and the bottleneck of DINO's head.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, D]}</td></tr>
 * </table>
 * Buffers are reused while the shape stays the same.
 */
public final class L2Normalize extends ParameterFreeModule {
    /** {@code F.normalize}'s default floor on the norm. */
    public static final double EPS = 1e-12;

    private INDArray u;
    private INDArray norms;
    private INDArray gradIn;

    /** Normalizes rows with the floor {@link #EPS}. */
    public L2Normalize() {
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.matrix("L2Normalize.forward", "input", input);
        long n = input.size(0);
        u = NdArrays.reuse(u, input.dataType(), n, input.size(1));
        norms = Transforms.max(input.norm2(true, 1), EPS, false);
        u.assign(input).diviColumnVector(norms);
        return u;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("L2Normalize.backward", u != null, gradOutput, u);
        gradIn = NdArrays.reuse(gradIn, u.dataType(), u.size(0), u.size(1));
        INDArray dots = gradIn.assign(gradOutput).muli(u).sum(true, 1);
        gradIn.assign(u).muliColumnVector(dots).rsubi(gradOutput).diviColumnVector(norms);
        return gradIn;
    }
}
