package org.selfsup4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Adam update with torch.optim.Adam's arithmetic, as nine in-place passes over preallocated
 * arrays. torch's {@code w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)} is computed in the equal form
 * {@code w -= lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps*sqrt(bc2))}, which saves a pass.
 *
 * <p>libnd4j's fused {@code adam_updater} op was measured about twice as slow on 10M float32
 * parameters (and replaces a zero step size by eps, which breaks warmup from lr = 0). The element-wise
 * {@code sqrt} is the costliest pass (libnd4j does not vectorize it), about half the step.
 */
final class AdamKernel {
    private AdamKernel() {
    }

    /**
     * @param l2 coupled decay added to the gradient (Adam), 0 for none
     * @param decoupled decoupled decay, weights scaled by {@code 1 - lr * decoupled} first (AdamW), 0 for none
     * @param step 0-based step; bias correction uses {@code t = step + 1}
     */
    static void apply(INDArray w, INDArray g, INDArray m, INDArray v, INDArray scratch, double lr, double beta1,
            double beta2, double eps, double l2, double decoupled, long step) {
        double t = step + 1.0;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1.0 - Math.pow(beta2, t));
        INDArray grad = g;
        if (l2 != 0) {
            // scratch = l2 * w + g; the parameter's gradient array is never written.
            Nd4j.exec(new Axpy(w, g, scratch, l2));
            grad = scratch;
        }
        if (decoupled != 0) {
            w.muli(1.0 - lr * decoupled);
        }
        m.muli(beta1);
        Nd4j.exec(new Axpy(grad, m, m, 1.0 - beta1));
        Nd4j.exec(new MulOp(grad, grad, scratch));
        v.muli(beta2);
        Nd4j.exec(new Axpy(scratch, v, v, 1.0 - beta2));
        if (lr == 0) {
            return;
        }
        Nd4j.exec(new Sqrt(v, scratch));
        scratch.addi(eps * sqrtBc2);
        Nd4j.exec(new DivOp(m, scratch, scratch));
        Nd4j.exec(new Axpy(scratch, w, w, -lr * sqrtBc2 / bc1));
    }
}
