package org.selfsup4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The heavy-ball / Nesterov update shared by {@link Sgd} and {@link Lars}, in torch.optim.SGD's form
 * (dampening 0), each line one fused in-place pass:
 * <pre>
 * d   = scale * (g + wd * w)
 * buf = mu * buf + d
 * w  -= lr * (d + mu * buf)   (Nesterov)   or   lr * buf   (heavy ball)   or   lr * d   (mu = 0)
 * </pre>
 */
final class MomentumKernel {
    private MomentumKernel() {
    }

    /**
     * @param buf the momentum buffer, ignored when {@code mu == 0}
     * @param scratch a scratch array of w's shape
     */
    static void apply(INDArray w, INDArray g, INDArray buf, INDArray scratch, double lr, double wd, double scale,
            double mu, boolean nesterov) {
        INDArray d = g;
        if (wd != 0 || scale != 1 || (nesterov && mu != 0)) {
            // z = wd * w + g, never written into g: the gradient stays what backward accumulated.
            Nd4j.exec(new Axpy(w, g, scratch, wd));
            if (scale != 1) {
                scratch.muli(scale);
            }
            d = scratch;
        }
        if (mu == 0) {
            Nd4j.exec(new Axpy(d, w, w, -lr));
            return;
        }
        Nd4j.exec(new Axpy(buf, d, buf, mu));
        if (nesterov) {
            Nd4j.exec(new Axpy(buf, d, scratch, mu));
            Nd4j.exec(new Axpy(scratch, w, w, -lr));
        } else {
            Nd4j.exec(new Axpy(buf, w, w, -lr));
        }
    }
}
