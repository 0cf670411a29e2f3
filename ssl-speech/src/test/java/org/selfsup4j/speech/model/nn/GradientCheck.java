package org.selfsup4j.speech.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/** Copy of ssl-core's test helper. Compares a module's backward pass with central finite differences of L = sum(forward(x) * R). */
final class GradientCheck {
    static final double TOLERANCE = 1e-6;
    static final double FLOOR = 1e-7;

    private GradientCheck() {
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

    /** Checks dL/dx and dL/dθ for every parameter; returns the worst relative error seen. */
    static double check(Module m, INDArray x, boolean training) {
        return check(m, x, training, TOLERANCE);
    }

    /** As {@link #check(Module, INDArray, boolean)} with a given relative tolerance (deep stacks round more). */
    static double check(Module m, INDArray x, boolean training, double tolerance) {
        return check(m, x, training, tolerance, FLOOR);
    }

    /** With a floor on the denominator of the relative error: entries that are exactly zero analytically
     * (e.g. the key bias of attention, to which softmax is invariant) show finite-difference round-off only. */
    static double check(Module m, INDArray x, boolean training, double tolerance, double floor) {
        assertTrue(x.dataType() == DataType.DOUBLE);
        INDArray y = m.forward(x, training);
        INDArray r = randn(99, y.shape());
        for (Parameter p : m.parameters()) {
            p.zeroGradient();
        }
        m.forward(x, training);
        INDArray gx = m.backward(r).dup();
        assertArrayEquals(x.shape(), gx.shape(), "gradInput shape");
        List<INDArray> analytic = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            analytic.add(p.gradient().dup());
        }
        double worst = 0;
        INDArray nx = FiniteDifferences.gradient(xx -> m.forward(xx, training).mul(r).sumNumber().doubleValue(), x);
        double ex = FiniteDifferences.maxRelativeError(gx, nx, floor);
        assertTrue(ex < tolerance, m + ": input gradient relative error " + ex + "\nanalytic " + gx + "\nnumeric " + nx);
        worst = Math.max(worst, ex);
        List<Parameter> ps = m.parameters();
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            INDArray np = FiniteDifferences.gradient(v -> m.forward(x, training).mul(r).sumNumber().doubleValue(), p.value());
            double ep = FiniteDifferences.maxRelativeError(analytic.get(i), np, floor);
            assertTrue(ep < tolerance, m + ": gradient of " + p.name() + " relative error " + ep
                    + "\nanalytic " + analytic.get(i) + "\nnumeric " + np);
            worst = Math.max(worst, ep);
        }
        return worst;
    }

    /** The same input twice gives bit-identical outputs. */
    static void assertRepeatable(Module m, INDArray x, boolean training) {
        INDArray a = m.forward(x, training).dup();
        INDArray b = m.forward(x, training).dup();
        assertTrue(a.equalsWithEps(b, 0.0) && a.equals(b), m + ": repeated forward differs");
        double[] da = a.castTo(DataType.DOUBLE).data().asDouble();
        double[] db = b.castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < da.length; i++) {
            assertTrue(Double.doubleToRawLongBits(da[i]) == Double.doubleToRawLongBits(db[i]), "bit difference at " + i);
        }
    }
}
