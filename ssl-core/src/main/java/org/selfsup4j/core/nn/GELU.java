package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.kernel.GeluKernels;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Gaussian error linear unit in its exact form, PyTorch's default {@code nn.GELU()}
 * (Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016):
 * <pre>
 * y  = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))
 * dy/dx = Phi(x) + x * exp(-x^2 / 2) / sqrt(2 pi)
 * </pre>
 * Any shape; no parameters. (libnd4j's gelu ops are the tanh/sigmoid approximations.) The forward
 * computes dy/dx along with y, so the backward is one product: float32 dense host arrays in one fused
 * pass ({@link GeluKernels}, Phi within 2.05e-7), float64 and other arrays through libnd4j's erf.
 */
public final class GELU extends ElementwiseActivation {
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    /** dy/dx at the last forward's input, which the backward multiplies by. */
    private INDArray deriv;
    private INDArray tmp;

    @Override
    void activate(INDArray x, INDArray out) {
        deriv = NdArrays.reuse(deriv, x.dataType(), x.shape());
        if (GeluKernels.forward(x, out, deriv)) {
            return;
        }
        // float64 (exact erf for gradient checks), other backends, strided arrays: libnd4j ops
        tmp = NdArrays.reuse(tmp, x.dataType(), x.shape());
        deriv.assign(x).muli(INV_SQRT2);
        Nd4j.exec(new Erf(deriv, deriv));
        deriv.addi(1.0).muli(0.5);
        out.assign(x).muli(deriv);
        tmp.assign(x).muli(x).muli(-0.5);
        Transforms.exp(tmp, false);
        tmp.muli(x).muli(INV_SQRT_2PI);
        deriv.addi(tmp);
    }

    @Override
    void gradient(INDArray x, INDArray y, INDArray gradOutput, INDArray gradIn) {
        gradOutput.mul(deriv, gradIn);
    }
}
