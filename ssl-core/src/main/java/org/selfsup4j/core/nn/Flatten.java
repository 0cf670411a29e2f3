package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * {@code [N, d1, d2, ...]} to {@code [N, d1 * d2 * ...]}, a view where the input is contiguous.
 * No parameters.
 */
public final class Flatten extends ParameterFreeModule {
    private long[] inputShape;
    private long[] outputShape;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("Flatten.forward", "input", input);
        if (input.rank() < 2) {
            throw new IllegalArgumentException("Flatten.forward: expected input [N, ...] of rank >= 2, got "
                    + Checks.shape(input));
        }
        Checks.nonEmpty("Flatten.forward", "input", input);
        inputShape = input.shape();
        outputShape = new long[] {inputShape[0], input.length() / inputShape[0]};
        return NdArrays.view(input, outputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("Flatten.backward", inputShape != null, gradOutput, outputShape);
        return NdArrays.view(gradOutput, inputShape);
    }
}
