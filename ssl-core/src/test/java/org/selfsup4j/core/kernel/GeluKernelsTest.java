package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.GELU;

/**
 * The fused GELU pass: its float32 Phi against an independent double-precision erf (Taylor series and
 * continued fraction), y and y' of float32 against GELU's float64 path, the same bits for any thread
 * count, NaN kept.
 */
class GeluKernelsTest {
    /** Measured 2.05e-7 (about 3.5 ulps of 0.5): the fit's 1.2e-7 relative error of erfc plus float rounding. */
    private static final double CDF_MAX_ERROR = 2.5e-7;
    /** Measured 8.7e-6, near x = -10: the float rounding of x^2 in the exponent. */
    private static final double CDF_TAIL_RELATIVE_ERROR = 1e-5;

    /** erf in double: Maclaurin series below 3, Laplace's continued fraction of erfc above. */
    static double erfReference(double z) {
        double a = Math.abs(z);
        double r;
        if (a < 3) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200 && Math.abs(term) > 1e-20; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            r = 1 - erfcReference(a);
        }
        return Math.copySign(r, z);
    }

    /** erfc(a) for a >= 3 by Laplace's continued fraction, without erf's cancellation. */
    static double erfcReference(double a) {
        // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + ...))))
        double f = a;
        for (int k = 80; k >= 1; k--) {
            f = a + k / 2.0 / f;
        }
        return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }

    /** Phi(x) in double, the tail through erfc. */
    static double cdfReference(double x) {
        double z = x / Math.sqrt(2);
        return z <= -3 ? 0.5 * erfcReference(-z) : 0.5 * (1 + erfReference(z));
    }

    @Test
    void erfReference_matchesTabulatedValues() {
        // Abramowitz and Stegun, table 7.1
        assertEquals(0.5204998778130465, erfReference(0.5), 1e-15);
        assertEquals(0.9953222650189527, erfReference(2.0), 1e-15);
        assertEquals(0.9999779095030014, erfReference(3.0), 1e-15);
        assertEquals(-0.9999999845827421, erfReference(-4.0), 1e-15);
        assertEquals(1.5374597944280349e-12, erfcReference(5.0), 1e-25);
    }

    @Test
    void floatCdf_isWithinFourUlpsOfHalf_andKeepsTheTailsRelativeAccuracy() {
        double worst = 0;
        double worstTail = 0;
        for (int i = -1_200_000; i <= 1_200_000; i++) {
            float x = i * 1e-5f;
            double ref = cdfReference(x);
            double err = Math.abs(GeluKernels.cdf(x) - ref);
            worst = Math.max(worst, err);
            if (x < -1 && x > -10) {
                worstTail = Math.max(worstTail, err / ref);
            }
        }
        System.out.printf("Phi float32: max abs error %.3g, max relative error on (-10, -1) %.3g%n", worst, worstTail);
        assertTrue(worst < CDF_MAX_ERROR, "max |Phi error| " + worst);
        assertTrue(worst > 1e-8, "the approximation is not exact, max error " + worst);
        assertTrue(worstTail < CDF_TAIL_RELATIVE_ERROR, "max relative Phi error in the tail " + worstTail);
    }

    @Test
    void float32_matchesDoubleFormulas_andTheFloat64Path() {
        int n = 100_003;
        Nd4j.getRandom().setSeed(5);
        INDArray x64 = Nd4j.randn(DataType.DOUBLE, n).muli(3);
        x64.putScalar(0, 0.0);
        x64.putScalar(1, -9.0);
        x64.putScalar(2, 9.0);
        INDArray x32 = x64.castTo(DataType.FLOAT);
        INDArray y32 = x32.ulike();
        INDArray d32 = x32.ulike();
        assertTrue(GeluKernels.forward(x32, y32, d32));
        // float64: GELU's libnd4j path, y' as the gradient of sum(y)
        GELU gelu = new GELU();
        INDArray y64 = gelu.forward(x64, true).dup();
        INDArray d64 = gelu.backward(Nd4j.ones(DataType.DOUBLE, n)).dup();
        assertFalse(GeluKernels.forward(x64, x64.ulike(), x64.ulike()), "float64 is not this kernel's");
        float[] xs = x32.toFloatVector();
        float[] ys = y32.toFloatVector();
        float[] ds = d32.toFloatVector();
        double[] yd = y64.toDoubleVector();
        double[] dd = d64.toDoubleVector();
        double worstY = 0;
        double worstD = 0;
        double worst64 = 0;
        for (int i = 0; i < n; i++) {
            double v = xs[i];
            double phi = cdfReference(v);
            double yRef = v * phi;
            double dRef = phi + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
            // scale: one float ulp of the operands' magnitude
            worstY = Math.max(worstY, Math.abs(ys[i] - yRef) / Math.max(1, Math.abs(v)));
            worstD = Math.max(worstD, Math.abs(ds[i] - dRef));
            double x64i = x64.getDouble(i);
            double phi64 = cdfReference(x64i);
            worst64 = Math.max(worst64, Math.abs(yd[i] - x64i * phi64));
            worst64 = Math.max(worst64, Math.abs(dd[i] - (phi64 + x64i * Math.exp(-x64i * x64i / 2) / Math.sqrt(2 * Math.PI))));
            assertEquals(yd[i], ys[i], 3e-7 * Math.max(1, Math.abs(v)), "y at x=" + v);
            assertEquals(dd[i], ds[i], 3e-7, "y' at x=" + v);
        }
        assertTrue(worstY < 2.5e-7, "float32 y error " + worstY);
        assertTrue(worstD < 2.5e-7, "float32 y' error " + worstD);
        // the reference series loses about 4 digits to cancellation near z = 3
        assertTrue(worst64 < 1e-12, "float64 error " + worst64);
        assertEquals(0f, ys[0]);
        assertEquals(0.5f, ds[0]);
        assertEquals(-0f, ys[1], 1e-17f);
        assertEquals(9f, ys[2]);
        assertEquals(1f, ds[2]);
    }

    @Test
    void vectorLanes_giveTheScalarFormulasBits() {
        // whatever the vector width, every element (lane or tail) must equal the scalar formula
        int n = 1000;
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, n).muli(4);
        INDArray y = x.ulike();
        INDArray d = x.ulike();
        assertTrue(GeluKernels.forward(x, y, d));
        float[] xs = x.toFloatVector();
        float[] ys = y.toFloatVector();
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(xs[i] * GeluKernels.cdf(xs[i])), Float.floatToRawIntBits(ys[i]),
                    "x=" + xs[i]);
        }
    }

    @Test
    void forward_sameBitsForAnyThreadCount() {
        int n = 4 * GeluKernels.PARALLEL_FROM + 17;
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.FLOAT, n);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            INDArray y1 = x.ulike();
            INDArray d1 = x.ulike();
            assertTrue(GeluKernels.forward(x, y1, d1));
            Parallel.setThreads(3);
            INDArray y3 = x.ulike();
            INDArray d3 = x.ulike();
            assertTrue(GeluKernels.forward(x, y3, d3));
            assertArrayEquals(y1.toFloatVector(), y3.toFloatVector(), 0f);
            assertArrayEquals(d1.toFloatVector(), d3.toFloatVector(), 0f);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void forward_keepsNaN_andRefusesMismatchedOperands() {
        INDArray x = Nd4j.createFromArray(1f, Float.NaN, -2f);
        INDArray y = x.ulike();
        INDArray d = x.ulike();
        assertTrue(GeluKernels.forward(x, y, d));
        assertTrue(Float.isNaN(y.getFloat(1)) && Float.isNaN(d.getFloat(1)));
        assertFalse(HostArrays.allFinite(y));
        assertFalse(GeluKernels.forward(x, Nd4j.create(DataType.FLOAT, 4), d));
        assertFalse(GeluKernels.forward(x, y, Nd4j.create(DataType.DOUBLE, 3)));
    }
}
