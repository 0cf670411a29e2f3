package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ElementwiseKernels;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Mean over all spatial positions: {@code [N, C, L]} or {@code [N, C, H, W]} to {@code [N, C]}, as
 * {@code AdaptiveAvgPool2d(1)} followed by flattening. No parameters.
 */
public final class GlobalAvgPool extends ParameterFreeModule {
    private long[] inputShape;
    private INDArray out;
    private INDArray gradIn;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("GlobalAvgPool.forward", "input", input);
        if (input.rank() != 3 && input.rank() != 4) {
            throw new IllegalArgumentException("GlobalAvgPool.forward: expected input [N, C, L] or [N, C, H, W], got "
                    + Checks.shape(input));
        }
        Checks.nonEmpty("GlobalAvgPool.forward", "input", input);
        long n = input.size(0);
        long c = input.size(1);
        long s = input.length() / (n * c);
        out = NdArrays.reuse(out, input.dataType(), n, c);
        if (n * c > Integer.MAX_VALUE || s > Integer.MAX_VALUE
                || !ElementwiseKernels.rowMeans(input, out, (int) (n * c), (int) s)) {
            NdArrays.view(input, n, c, s).mean(out, 2);
        }
        inputShape = input.shape();
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("GlobalAvgPool.backward", inputShape != null, gradOutput, out);
        long n = inputShape[0];
        long c = inputShape[1];
        long s = 1;
        for (int i = 2; i < inputShape.length; i++) {
            s *= inputShape[i];
        }
        gradIn = NdArrays.reuse(gradIn, out.dataType(), inputShape);
        if (n * c <= Integer.MAX_VALUE && s <= Integer.MAX_VALUE
                && ElementwiseKernels.spreadRows(gradOutput, gradIn, (int) (n * c), (int) s)) {
            return gradIn;
        }
        INDArray g2 = gradIn.reshape(n * c, s);
        g2.assign(0);
        g2.addiColumnVector(NdArrays.view(gradOutput, n * c, 1));
        g2.muli(1.0 / s);
        return gradIn;
    }
}
