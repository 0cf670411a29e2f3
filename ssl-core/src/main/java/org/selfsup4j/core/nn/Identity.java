package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/** Returns its input unchanged (e.g. to drop a classifier head); gradients pass through. */
public final class Identity extends ParameterFreeModule {
    private long[] shape;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("Identity.forward", "input", input);
        shape = input.shape();
        return input;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("Identity.backward", shape != null, gradOutput, shape);
        return gradOutput;
    }
}
