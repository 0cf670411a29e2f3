package org.selfsup4j.vision.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.check.ModuleGradientCheck;
import org.selfsup4j.core.nn.Module;

/** L = sum(forward(x) * R): the module's backward against central differences, in float64. */
final class GradCheck {
    private GradCheck() {
    }

    static INDArray randn(long seed, long... shape) {
        return ModuleGradientCheck.gaussian(seed, shape);
    }

    static double check(Module m, INDArray x, double tol) {
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(m, x, true);
        assertTrue(r.passes(tol), "gradient check failed: " + r);
        return r.worst();
    }
}
