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
        Checks.state(shape != null, "Identity.backward", "backward called before forward");
        Checks.shapeEquals("Identity.backward", "gradOutput", gradOutput, shape);
        return gradOutput;
    }
}
