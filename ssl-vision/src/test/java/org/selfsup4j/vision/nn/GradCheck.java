package org.selfsup4j.vision.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/** L = sum(forward(x) * R): the module's backward against central differences, in float64. */
final class GradCheck {
    private GradCheck() {
    }

    static INDArray randn(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Nd4j.create(d, shape, 'c');
    }

    static double check(Module m, INDArray x, double tol) {
        INDArray y = m.forward(x, true);
        INDArray weights = randn(99, y.shape());
        for (Parameter p : m.parameters()) {
            p.zeroGradient();
        }
        INDArray dx = m.backward(weights.dup()).dup();
        double worst = 0;
        INDArray numeric = FiniteDifferences.gradient(v -> m.forward(v, true).mul(weights).sumNumber().doubleValue(),
                x.dup());
        worst = Math.max(worst, FiniteDifferences.maxRelativeError(dx, numeric, 1e-7));
        for (Parameter p : m.parameters()) {
            INDArray analytic = p.gradient().dup();
            INDArray value = p.value();
            INDArray num = FiniteDifferences.gradient(v -> {
                INDArray saved = value.dup();
                value.assign(v);
                double l = m.forward(x, true).mul(weights).sumNumber().doubleValue();
                value.assign(saved);
                return l;
            }, value.dup());
            worst = Math.max(worst, FiniteDifferences.maxRelativeError(analytic, num, 1e-7));
        }
        assertTrue(worst < tol, "max relative error " + worst);
        return worst;
    }
}
