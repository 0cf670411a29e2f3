package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.ElementwiseKernels;
import org.selfsup4j.core.kernel.NdArrays;

/** {@code y = max(x, 0)} element-wise, any shape; no parameters. Gradient at 0 is 0, as PyTorch. */
public final class ReLU extends ParameterFreeModule {
    private INDArray out;
    private INDArray gradIn;
    private boolean ready;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("ReLU.forward", "input", input);
        out = NdArrays.reuse(out, input.dataType(), input.shape());
        // libnd4j's relu is vectorized and threaded: 1.6x faster than a Java pass at 2M floats, and on a
        // par at 400K; only the backward (relu_bp, scalar code) goes through ElementwiseKernels
        Nd4j.exec(new RectifiedLinear(input, out, 0.0));
        ready = true;
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.gradOutput("ReLU.backward", ready, gradOutput, out);
        gradIn = NdArrays.reuse(gradIn, out.dataType(), out.shape());
        // out > 0 exactly where the input was > 0, so the output stands in for the input
        ElementwiseKernels.reluGradient(out, gradOutput, gradIn);
        return gradIn;
    }
}
