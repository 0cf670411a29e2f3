package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.ElementwiseKernels;

/** {@code y = max(x, 0)} element-wise, any shape; no parameters. Gradient at 0 is 0, as PyTorch. */
public final class ReLU extends ElementwiseActivation {

    @Override
    void activate(INDArray x, INDArray out) {
        // libnd4j's relu is vectorized and threaded: 1.6x faster than a Java pass at 2M floats, and on a
        // par at 400K; only the backward (relu_bp, scalar code) goes through ElementwiseKernels
        Nd4j.exec(new RectifiedLinear(x, out, 0.0));
    }

    @Override
    void gradient(INDArray x, INDArray y, INDArray gradOutput, INDArray gradIn) {
        // y > 0 exactly where the input was > 0, so the output stands in for the input
        ElementwiseKernels.reluGradient(y, gradOutput, gradIn);
    }
}
