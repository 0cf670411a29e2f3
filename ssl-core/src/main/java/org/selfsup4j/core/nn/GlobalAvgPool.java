package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Mean over all spatial positions: {@code [N, C, L]} or {@code [N, C, H, W]} to {@code [N, C]}, as
 * {@code AdaptiveAvgPool2d(1)} followed by flattening. No parameters.
 */
public final class GlobalAvgPool implements Module {
    private long[] inputShape;
    private INDArray out;
    private INDArray gradIn;

    @Override
    public INDArray forward(INDArray input, boolean training) {
        long t0 = PhaseTimer.start();
        INDArray result = forward0(input, training);
        PhaseTimer.stop("GlobalAvgPool.fwd", t0);
        return result;
    }

    private INDArray forward0(INDArray input, boolean training) {
        NnSupport.checkNotNull("GlobalAvgPool.forward", input);
        if (input.rank() != 3 && input.rank() != 4) {
            throw new IllegalArgumentException("GlobalAvgPool.forward: expected input [N, C, L] or [N, C, H, W], got "
                    + NnSupport.shape(input));
        }
        NnSupport.checkNonEmpty("GlobalAvgPool.forward", input);
        long n = input.size(0);
        long c = input.size(1);
        long s = input.length() / (n * c);
        out = NnSupport.reuse(out, input.dataType(), n, c);
        if (n * c > Integer.MAX_VALUE || s > Integer.MAX_VALUE
                || !ElementwiseKernels.rowMeans(input, out, (int) (n * c), (int) s)) {
            NnSupport.view(input, n, c, s).mean(out, 2);
        }
        inputShape = input.shape();
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        long t0 = PhaseTimer.start();
        INDArray result = backward0(gradOutput);
        PhaseTimer.stop("GlobalAvgPool.bwd", t0);
        return result;
    }

    private INDArray backward0(INDArray gradOutput) {
        if (inputShape == null) {
            throw NnSupport.noForward("GlobalAvgPool.backward");
        }
        NnSupport.checkGradShape("GlobalAvgPool.backward", gradOutput, out.shape());
        long n = inputShape[0];
        long c = inputShape[1];
        long s = 1;
        for (int i = 2; i < inputShape.length; i++) {
            s *= inputShape[i];
        }
        gradIn = NnSupport.reuse(gradIn, out.dataType(), inputShape);
        if (n * c <= Integer.MAX_VALUE && s <= Integer.MAX_VALUE
                && ElementwiseKernels.spreadRows(gradOutput, gradIn, (int) (n * c), (int) s)) {
            return gradIn;
        }
        INDArray g2 = gradIn.reshape(n * c, s);
        g2.assign(0);
        g2.addiColumnVector(NnSupport.view(gradOutput, n * c, 1));
        g2.muli(1.0 / s);
        return gradIn;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return "GlobalAvgPool";
    }
}
