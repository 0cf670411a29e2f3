package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.check.ModuleGradientCheck;

/** Asserting wrapper of {@link ModuleGradientCheck}: a module's backward against central differences of L = sum(forward(x) * R). */
public final class GradientCheck {
    public static final double TOLERANCE = 1e-6;
    public static final double FLOOR = 1e-7;

    private GradientCheck() {
    }

    public static INDArray randn(long seed, long... shape) {
        return ModuleGradientCheck.gaussian(seed, shape);
    }

    /** Checks dL/dx and dL/dθ for every parameter; returns the worst relative error seen. */
    public static double check(Module m, INDArray x, boolean training) {
        return check(m, x, training, TOLERANCE);
    }

    /** As {@link #check(Module, INDArray, boolean)} with a given relative tolerance (deep stacks round more). */
    public static double check(Module m, INDArray x, boolean training, double tolerance) {
        return check(m, x, training, tolerance, FLOOR);
    }

    /** With a floor on the denominator of the relative error: entries that are exactly zero analytically
     * (e.g. the key bias of attention, to which softmax is invariant) show finite-difference round-off only. */
    public static double check(Module m, INDArray x, boolean training, double tolerance, double floor) {
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(m, x, training, floor, ModuleGradientCheck.DEFAULT_SEED);
        assertTrue(r.passes(tolerance), "gradient check failed: " + r);
        return r.worst();
    }

    /** The same input twice gives bit-identical outputs. */
    public static void assertRepeatable(Module m, INDArray x, boolean training) {
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
