package org.selfsup4j.core.kernel;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact GELU's forward, {@code y = x * Phi(x)}, and its derivative
 * {@code y' = Phi(x) + x * exp(-x^2 / 2) / sqrt(2 pi)} in one pass over dense host arrays (CPU backend,
 * float32), so that the backward is a single product {@code dL/dx = dL/dy * y'}.
 * {@code Phi(x) = (1 + erf(x / sqrt 2)) / 2}.
 *
 * <p>float32: {@code Phi(x) = erfc(-x / sqrt 2) / 2} by Numerical Recipes' Chebyshev fit of erfc
 * ({@link #ERFC}: relative error below 1.2e-7, so the negative tail keeps its relative accuracy), in
 * float with fused multiply-adds: {@code GeluKernelsTest} pins the maximum error of Phi, 2.05e-7
 * (about 3.5 ulps of 0.5), against a double-precision erf. On the Vector API (when the JVM
 * has the module) the whole chunk runs in vectors, else per element; both with this class's own
 * {@link FloatExp#clamped}, so the bits are the same either way and before and after JIT compilation.
 *
 * <p>float64 stays with libnd4j (in {@code GELU}): the approximation is too coarse for double
 * (finite-difference checks), and double runs in tests and checks, not in training.
 *
 * <p>Why: the ND4J path took five element-wise passes forward and six backward, with libnd4j's scalar
 * float erf; the fused pass reads x once and writes y and y'. Work is split through
 * {@link HostArrays#forRange(int, int, HostArrays.Range)} from {@link #PARALLEL_FROM} elements (an
 * element-wise split: results do not depend on the thread count).
 *
 * <p>NaN: a NaN input gives NaN output and derivative (every step keeps NaN), so the trainer's guard
 * sees it.
 */
public final class GeluKernels {
    /**
     * Elements from which a call splits across threads: about 30 flops and an exp per element, so a
     * fork (tens of microseconds) pays off at far fewer elements than a memory-bound pass.
     */
    static final int PARALLEL_FROM = 1 << 16;
    static final double INV_SQRT2 = 0.7071067811865476;
    static final double INV_SQRT_2PI = 0.3989422804014327;
    /**
     * Coefficients of Numerical Recipes' {@code erfcc} (Press et al., Numerical Recipes, 2nd ed., 6.2; a
     * Chebyshev fit): {@code erfc(a) = t exp(-a^2 + C(t))}, {@code t = 1 / (1 + a / 2)}, {@code a >= 0},
     * {@code C(t) = sum C[k] t^k}, relative error below 1.2e-7 for every {@code a}.
     */
    static final float[] ERFC = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f, 0.27886807f,
        -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};
    private static final int CHUNK = HostArrays.CHUNK;
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private GeluKernels() {
    }

    /**
     * {@code Phi(x) = erfc(-x / sqrt 2) / 2} in float32, the formula of the vector path (which uses the
     * same {@link FloatExp#clamped}).
     */
    static float cdf(float x) {
        float z = -x * (float) INV_SQRT2;
        float a = Math.abs(z);
        float t = 1f / Math.fma(a, 0.5f, 1f);
        float c = ERFC[9];
        for (int k = 8; k >= 0; k--) {
            c = Math.fma(c, t, ERFC[k]);
        }
        float h = 0.5f * t * FloatExp.clamped(c - a * a);
        return z >= 0 ? h : 1f - h;
    }

    /**
     * Writes {@code y = gelu(x)} and {@code deriv = gelu'(x)}.
     *
     * @return false (nothing written) when the three are not dense float32 host arrays of one length
     */
    public static boolean forward(INDArray x, INDArray y, INDArray deriv) {
        if (!HostArrays.dense(DataType.FLOAT, x, y, deriv) || x.length() != y.length() || x.length() != deriv.length()) {
            return false;
        }
        FloatBuffer xb = HostArrays.floats(x);
        FloatBuffer yb = HostArrays.floats(y);
        FloatBuffer db = HostArrays.floats(deriv);
        HostArrays.forRange((int) x.length(), PARALLEL_FROM, (from, to) -> {
            float[][] c = HostArrays.floatChunks();
            int x0 = HostArrays.start(x);
            int y0 = HostArrays.start(y);
            int d0 = HostArrays.start(deriv);
            for (int off = from; off < to; off += CHUNK) {
                int len = Math.min(CHUNK, to - off);
                xb.get(x0 + off, c[0], 0, len);
                floatChunk(c[0], c[1], c[2], len);
                yb.put(y0 + off, c[1], 0, len);
                db.put(d0 + off, c[2], 0, len);
            }
        });
        return true;
    }

    /** One double chunk: {@code x[i]} becomes gelu(x[i]), {@code e[i] = erf(x[i] / sqrt 2)} becomes gelu'(x[i]). */
    private static void doubleChunk(double[] x, double[] e, int len) {
        for (int i = 0; i < len; i++) {
            double v = x[i];
            double phi = 0.5 + 0.5 * e[i];
            x[i] = v * phi;
            e[i] = phi + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
        }
    }

    /** One float chunk: {@code y[i] = gelu(x[i])}, {@code d[i] = gelu'(x[i])}. */
    static void floatChunk(float[] x, float[] y, float[] d, int len) {
        int i = VECTOR ? GeluVector.chunk(x, y, d, len) : 0;
        for (; i < len; i++) {
            float v = x[i];
            float phi = cdf(v);
            y[i] = v * phi;
            d[i] = Math.fma(v * FloatExp.clamped(-0.5f * v * v), (float) INV_SQRT_2PI, phi);
        }
    }
}
