package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact GELU's forward, {@code y = x * Phi(x)}, and its derivative
 * {@code y' = Phi(x) + x * exp(-x^2 / 2) / sqrt(2 pi)} in one pass over dense host arrays (CPU backend,
 * float32/float64), so that the backward is a single product {@code dL/dx = dL/dy * y'}.
 * {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}.
 *
 * <p>float32: erf by the rational minimax approximation of Eigen and XLA's float erf,
 * {@code erf(z) = z P(z^2) / Q(z^2)} with {@code z} clamped to [-4, 4] (P of degree 6, Q of degree 4)
 * and the result to [-1, 1] (so {@code Phi} is exactly 0 and 1 far out),
 * evaluated in double: in float its Horner sums round to 4.4e-7 near |z| = 3.2, in double the
 * approximation error alone remains, 6.5e-8 (about one float ulp of erf; {@code GeluKernelsTest} pins
 * the maximum against a double-precision series). The exponential runs through the Vector API's
 * vectorised {@code exp} when the JVM has the module, else {@link Math#exp}.
 *
 * <p>float64: the approximation is too coarse for double (finite-difference checks), so erf stays
 * libnd4j's (one op, exact in double), and the rest of both formulas runs in one Java pass.
 *
 * <p>Why: the ND4J path took five element-wise passes forward and six backward, with libnd4j's scalar
 * float erf; the fused pass reads x once and writes y and y'. Work is split through
 * {@link HostArrays#forRange(int, int, HostArrays.Range)} from {@link #PARALLEL_FROM} elements (an
 * element-wise split: results do not depend on the thread count).
 *
 * <p>NaN: a NaN input gives NaN output and derivative (the clamp keeps NaN), so the trainer's guard
 * sees it. Deliberate twins (issue #12): a float32 and a float64 body, as in {@link ElementwiseKernels}.
 */
public final class GeluKernels {
    /**
     * Elements from which a call splits across threads: about 30 flops and an exp per element, so a
     * fork (tens of microseconds) pays off at far fewer elements than a memory-bound pass.
     */
    static final int PARALLEL_FROM = 1 << 16;
    static final double INV_SQRT2 = 0.7071067811865476;
    static final double INV_SQRT_2PI = 0.3989422804014327;
    /** |z| beyond which the float erf is +-1 (erfc(4) = 1.5e-8, below half a float ulp of 1). */
    static final double ERF_CLAMP = 4.0;
    // numerator of erf(z) / z in z^2, lowest order first (Eigen's generic_fast_erf_float)
    static final double P0 = -1.60960333262415e-02;
    static final double P1 = -2.95459980854025e-03;
    static final double P2 = -7.34990630326855e-04;
    static final double P3 = -5.69250639462346e-05;
    static final double P4 = -2.10102402082508e-06;
    static final double P5 = 2.77068142495902e-08;
    static final double P6 = -2.72614225801306e-10;
    // denominator in z^2, lowest order first
    static final double Q0 = -1.42647390514189e-02;
    static final double Q1 = -7.37332916720468e-03;
    static final double Q2 = -1.68282697438203e-03;
    static final double Q3 = -2.13374055278905e-04;
    static final double Q4 = -1.45660718464996e-05;
    private static final int CHUNK = HostArrays.CHUNK;
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private GeluKernels() {
    }

    /** The erf of the float32 path at {@code z} (evaluated in double; rounded to float by the caller). */
    static double erf(double z) {
        double c = Math.max(-ERF_CLAMP, Math.min(ERF_CLAMP, z));
        double s = c * c;
        double p = ((((((P6 * s + P5) * s + P4) * s + P3) * s + P2) * s + P1) * s + P0) * c;
        double q = (((Q4 * s + Q3) * s + Q2) * s + Q1) * s + Q0;
        // the rational overshoots 1 by ~1e-7 near the clamp, which made Phi of large negative x negative
        return Math.max(-1.0, Math.min(1.0, p / q));
    }

    /**
     * Writes {@code y = gelu(x)} and {@code deriv = gelu'(x)}.
     *
     * @return false (nothing written) when the three are not dense host arrays of one type and length
     */
    public static boolean forward(INDArray x, INDArray y, INDArray deriv) {
        DataType t = x.dataType();
        if (!HostArrays.dense(t, x, y, deriv) || x.length() != y.length() || x.length() != deriv.length()) {
            return false;
        }
        int n = (int) x.length();
        int x0 = HostArrays.start(x);
        int y0 = HostArrays.start(y);
        int d0 = HostArrays.start(deriv);
        if (t == DataType.FLOAT) {
            FloatBuffer xb = HostArrays.floats(x);
            FloatBuffer yb = HostArrays.floats(y);
            FloatBuffer db = HostArrays.floats(deriv);
            HostArrays.forRange(n, PARALLEL_FROM, (from, to) -> {
                float[][] c = HostArrays.floatChunks();
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    xb.get(x0 + off, c[0], 0, len);
                    floatChunk(c[0], c[1], c[2], c[3], len);
                    yb.put(y0 + off, c[1], 0, len);
                    db.put(d0 + off, c[2], 0, len);
                }
            });
        } else {
            // erf(x / sqrt 2) into deriv first, then one pass turns it into y and y'
            deriv.assign(x).muli(INV_SQRT2);
            Nd4j.exec(new Erf(deriv, deriv));
            DoubleBuffer xb = HostArrays.doubles(x);
            DoubleBuffer yb = HostArrays.doubles(y);
            DoubleBuffer db = HostArrays.doubles(deriv);
            HostArrays.forRange(n, PARALLEL_FROM, (from, to) -> {
                double[][] c = HostArrays.doubleChunks();
                double[] bx = c[0];
                double[] be = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    xb.get(x0 + off, bx, 0, len);
                    db.get(d0 + off, be, 0, len);
                    for (int i = 0; i < len; i++) {
                        double v = bx[i];
                        double phi = 0.5 + 0.5 * be[i];
                        bx[i] = v * phi;
                        be[i] = phi + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
                    }
                    yb.put(y0 + off, bx, 0, len);
                    db.put(d0 + off, be, 0, len);
                }
            });
        }
        return true;
    }

    /** One float chunk: {@code y[i] = gelu(x[i])}, {@code d[i] = gelu'(x[i])}; {@code t} is scratch. */
    static void floatChunk(float[] x, float[] y, float[] d, float[] t, int len) {
        // erf inlines, so the JIT vectorises this loop; the exp (which it does not) runs in a loop of its own
        for (int i = 0; i < len; i++) {
            double v = x[i];
            double phi = 0.5 + 0.5 * erf(v * INV_SQRT2);
            y[i] = (float) (v * phi);
            d[i] = (float) phi;
            t[i] = (float) (-0.5 * v * v);
        }
        if (VECTOR) {
            GeluVector.addDensityTerm(x, d, t, len);
        } else {
            for (int i = 0; i < len; i++) {
                d[i] += x[i] * (float) Math.exp(t[i]) * (float) INV_SQRT_2PI;
            }
        }
    }
}
