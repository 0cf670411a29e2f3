package org.selfsup4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One Adam update with torch.optim.Adam's arithmetic, on libnd4j's fused {@code adam_updater}
 * (one pass that advances both moments and writes the step into scratch).
 *
 * <p>torch: {@code w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)}; libnd4j:
 * {@code up = lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps')}. The two are equal for
 * {@code eps' = eps * sqrt(bc2)}, which is what we pass. libnd4j also replaces a zero step size by
 * {@code eps}, so at {@code lr = 0} the moments are advanced with a dummy rate and the step dropped.
 */
final class AdamKernel {
    private AdamKernel() {
    }

    static void apply(INDArray w, INDArray g, INDArray m, INDArray v, INDArray scratch, double lr, double beta1,
            double beta2, double eps, double l2, double decoupled, long step) {
        // libnd4j takes the iteration as an int; beyond 2^31 steps beta^t has long underflowed to 0.
        int iteration = (int) Math.min(step, Integer.MAX_VALUE - 1);
        double bc2 = 1.0 - Math.pow(beta2, iteration + 1.0);
        INDArray grad = g;
        if (l2 != 0) {
            Nd4j.exec(new Axpy(w, g, scratch, l2));
            grad = scratch;
        }
        if (decoupled != 0) {
            w.muli(1.0 - lr * decoupled);
        }
        Nd4j.exec(new AdamUpdater(grad, v, m, scratch, v, m, lr == 0 ? 1.0 : lr, beta1, beta2, eps * Math.sqrt(bc2),
                iteration));
        if (lr != 0) {
            w.subi(scratch);
        }
    }
}
