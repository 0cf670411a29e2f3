package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code [N, d1, d2, ...]} to {@code [N, d1 * d2 * ...]}, a view where the input is contiguous.
 * No parameters.
 */
public final class Flatten implements Module {
    private long[] inputShape;
    private long[] outputShape;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        NnSupport.checkNotNull("Flatten.forward", input);
        if (input.rank() < 2) {
            throw new IllegalArgumentException("Flatten.forward: expected input [N, ...] of rank >= 2, got "
                    + NnSupport.shape(input));
        }
        NnSupport.checkNonEmpty("Flatten.forward", input);
        inputShape = input.shape();
        outputShape = new long[] {inputShape[0], input.length() / inputShape[0]};
        return NnSupport.view(input, outputShape);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null) {
            throw NnSupport.noForward("Flatten.backward");
        }
        NnSupport.checkGradShape("Flatten.backward", gradOutput, outputShape);
        return NnSupport.view(gradOutput, inputShape);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
