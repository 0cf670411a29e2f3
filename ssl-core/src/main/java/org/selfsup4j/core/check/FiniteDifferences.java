package org.selfsup4j.core.check;

import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences, {@code (f(x + h e_i) - f(x - h e_i)) / 2h}, for checking analytic
 * gradients in double precision.
 */
public final class FiniteDifferences {
    /** Step used by {@link #gradient(ToDoubleFunction, INDArray)}; suits float64 inputs of order 1. */
    public static final double DEFAULT_STEP = 1e-6;

    private FiniteDifferences() {
    }

    /**
     * The numerical gradient of {@code f} at {@code x}, perturbing each entry of {@code x} in place
     * (and restoring it). {@code x} must be float64.
     */
    public static INDArray gradient(ToDoubleFunction<INDArray> f, INDArray x) {
        return gradient(f, x, DEFAULT_STEP);
    }

    /** As {@link #gradient(ToDoubleFunction, INDArray)} with step {@code h}. */
    public static INDArray gradient(ToDoubleFunction<INDArray> f, INDArray x, double h) {
        if (x.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("FiniteDifferences.gradient: x must be float64 for a meaningful check, got "
                    + x.dataType());
        }
        if (x.isView() || x.ordering() != 'c') {
            throw new IllegalArgumentException("FiniteDifferences.gradient: x must be a contiguous c-order array, not a view");
        }
        INDArray flat = x.reshape(x.length());
        INDArray grad = Nd4j.zeros(DataType.DOUBLE, x.shape());
        INDArray gradFlat = grad.reshape(grad.length());
        for (long i = 0; i < flat.length(); i++) {
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            double plus = f.applyAsDouble(x);
            flat.putScalar(i, orig - h);
            double minus = f.applyAsDouble(x);
            flat.putScalar(i, orig);
            gradFlat.putScalar(i, (plus - minus) / (2 * h));
        }
        return grad;
    }

    /**
     * Largest relative error between two gradients, {@code |a - n| / max(|a| + |n|, floor)} entry-wise,
     * where {@code floor} keeps entries that are both near zero from dominating.
     */
    public static double maxRelativeError(INDArray analytic, INDArray numeric, double floor) {
        if (!java.util.Arrays.equals(analytic.shape(), numeric.shape())) {
            throw new IllegalArgumentException("FiniteDifferences.maxRelativeError: shapes differ, "
                    + java.util.Arrays.toString(analytic.shape()) + " vs " + java.util.Arrays.toString(numeric.shape()));
        }
        INDArray a = analytic.castTo(DataType.DOUBLE).reshape(analytic.length());
        INDArray n = numeric.castTo(DataType.DOUBLE).reshape(numeric.length());
        double worst = 0;
        for (long i = 0; i < a.length(); i++) {
            double ai = a.getDouble(i);
            double ni = n.getDouble(i);
            double err = Math.abs(ai - ni) / Math.max(Math.abs(ai) + Math.abs(ni), floor);
            if (!(err <= worst)) {
                worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
            }
        }
        return worst;
    }
}
