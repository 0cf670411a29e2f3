package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/** {@code y = max(x, 0)} element-wise, any shape; no parameters. Gradient at 0 is 0, as PyTorch. */
public final class ReLU implements Module {
    private INDArray out;
    private INDArray gradIn;
    private boolean ready;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        long t0 = PhaseTimer.start();
        INDArray result = forward0(input, training);
        PhaseTimer.stop("ReLU.fwd", t0);
        return result;
    }

    private INDArray forward0(INDArray input, boolean training) {
        NnSupport.checkNotNull("ReLU.forward", input);
        out = NnSupport.reuse(out, input.dataType(), input.shape());
        // libnd4j's relu is vectorized and threaded: 1.6x faster than a Java pass at 2M floats, and on a
        // par at 400K; only the backward (relu_bp, scalar code) goes through ElementwiseKernels
        Nd4j.exec(new RectifiedLinear(input, out, 0.0));
        ready = true;
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long t0 = PhaseTimer.start();
        INDArray result = backward0(gradOutput);
        PhaseTimer.stop("ReLU.bwd", t0);
        return result;
    }

    private INDArray backward0(INDArray gradOutput) {
        if (!ready) {
            throw NnSupport.noForward("ReLU.backward");
        }
        NnSupport.checkGradShape("ReLU.backward", gradOutput, out.shape());
        gradIn = NnSupport.reuse(gradIn, out.dataType(), out.shape());
        // out > 0 exactly where the input was > 0, so the output stands in for the input
        if (!ElementwiseKernels.reluBackward(out, gradOutput, gradIn)) {
            NnSupport.reluBackward(out, gradOutput, gradIn);
        }
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}
