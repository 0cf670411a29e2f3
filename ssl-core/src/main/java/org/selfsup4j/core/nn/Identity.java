package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Returns its input unchanged (e.g. to drop a classifier head); gradients pass through. */
public final class Identity implements Module {
    private long[] shape;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        NnSupport.checkNotNull("Identity.forward", input);
        shape = input.shape();
        return input;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (shape == null) {
            throw NnSupport.noForward("Identity.backward");
        }
        NnSupport.checkGradShape("Identity.backward", gradOutput, shape);
        return gradOutput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return "Identity";
    }
}
