package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Gaussian error linear unit in its exact form, PyTorch's default {@code nn.GELU()}:
 * <pre>
 * y  = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
 * dy/dx = Phi(x) + x * exp(-x^2 / 2) / sqrt(2 pi)
 * </pre>
 * Any shape; no parameters. (libnd4j's gelu ops are the tanh/sigmoid approximations.)
 */
public final class GELU extends ElementwiseActivation {
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** Phi(x) of the last forward, which the backward reuses. */
    private INDArray cdf;
    private INDArray tmp;

    @Override
    void activate(INDArray x, INDArray out) {
        cdf = NdArrays.reuse(cdf, x.dataType(), x.shape());
        cdf.assign(x).muli(INV_SQRT2);
        Nd4j.exec(new Erf(cdf, cdf));
        cdf.addi(1.0).muli(0.5);
        out.assign(x).muli(cdf);
    }

    @Override
    void gradient(INDArray x, INDArray y, INDArray gradOutput, INDArray gradIn) {
        tmp = NdArrays.reuse(tmp, y.dataType(), y.shape());
        tmp.assign(x).muli(x).muli(-0.5);
        Transforms.exp(tmp, false);
        tmp.muli(x).muli(INV_SQRT_2PI).addi(cdf);
        gradIn.assign(gradOutput).muli(tmp);
    }
}
