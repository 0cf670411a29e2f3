package org.selfsup4j.core.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix product of {@link DirectConv} on heap float arrays with the JDK Vector API
 * ({@code jdk.incubator.vector}): {@code C (+)= A B}, A read through arbitrary row and column
 * strides (so a transposed operand needs no copy), B and C row-major.
 *
 * <p>Register-blocked: a tile of 4 rows of C by two vectors of columns stays in registers while the
 * reduction index runs, each step loading two vectors of a B row and broadcasting four A elements
 * (eight independent fused multiply-adds). Measured on the 2-vCPU AVX-512 machine, one thread:
 * 100-110 GFLOP/s for the ResNet convolution shapes, where OpenBLAS through ND4J reached 50-100
 * GFLOP/s with both cores. Column tails narrower than a vector run in plain loops.
 *
 * <p>Only loaded when the JVM has the {@code jdk.incubator.vector} module ({@link DirectConv#AVAILABLE}).
 * Sums run in a fixed order (reduction index ascending), so results do not depend on threads.
 */
final class ConvVectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ConvVectorKernels() {
    }

    /** Floats per vector: callers pad the column count of their products to a multiple of it. */
    static int lanes() {
        return L;
    }

    /**
     * {@code C[i][j] (+)= sum_l A[i][l] B[l][j]} for {@code i < m, j < n, l < k}, where
     * {@code A[i][l] = a[a0 + i*ars + l*acs]}, {@code B[l][j] = b[b0 + l*ldb + j]},
     * {@code C[i][j] = c[c0 + i*ldc + j]}; {@code accumulate} adds to C instead of overwriting it.
     */
    static void gemm(float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb, float[] c, int c0, int ldc,
            int m, int n, int k, boolean accumulate) {
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x2(a, a0 + i * ars, ars, acs, b, b0 + j, ldb, c, c0 + i * ldc + j, ldc, k, accumulate);
            }
            for (; i < m; i++) {
                row1(a, a0 + i * ars, acs, b, b0 + j, ldb, c, c0 + i * ldc + j, k, accumulate);
                row1(a, a0 + i * ars, acs, b, b0 + j + L, ldb, c, c0 + i * ldc + j + L, k, accumulate);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                tile4x1(a, a0 + i * ars, ars, acs, b, b0 + j, ldb, c, c0 + i * ldc + j, ldc, k, accumulate);
            }
            for (; i < m; i++) {
                row1(a, a0 + i * ars, acs, b, b0 + j, ldb, c, c0 + i * ldc + j, k, accumulate);
            }
        }
        if (j < n) {
            scalar(a, a0, ars, acs, b, b0 + j, ldb, c, c0 + j, ldc, m, n - j, k, accumulate);
        }
    }

    private static void tile4x2(float[] a, int ap, int ars, int acs, float[] b, int bp, int ldb, float[] c, int r0,
            int ldc, int k, boolean accumulate) {
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, r0);
            c01 = FloatVector.fromArray(S, c, r0 + L);
            c10 = FloatVector.fromArray(S, c, r1);
            c11 = FloatVector.fromArray(S, c, r1 + L);
            c20 = FloatVector.fromArray(S, c, r2);
            c21 = FloatVector.fromArray(S, c, r2 + L);
            c30 = FloatVector.fromArray(S, c, r3);
            c31 = FloatVector.fromArray(S, c, r3 + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
        }
        for (int l = 0; l < k; l++, ap += acs, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ap + ars]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * ars]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * ars]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
        }
        c00.intoArray(c, r0);
        c01.intoArray(c, r0 + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
    }

    private static void tile4x1(float[] a, int ap, int ars, int acs, float[] b, int bp, int ldb, float[] c, int r0,
            int ldc, int k, boolean accumulate) {
        int r1 = r0 + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        FloatVector c0;
        FloatVector c1;
        FloatVector c2;
        FloatVector c3;
        if (accumulate) {
            c0 = FloatVector.fromArray(S, c, r0);
            c1 = FloatVector.fromArray(S, c, r1);
            c2 = FloatVector.fromArray(S, c, r2);
            c3 = FloatVector.fromArray(S, c, r3);
        } else {
            c0 = FloatVector.zero(S);
            c1 = c0;
            c2 = c0;
            c3 = c0;
        }
        for (int l = 0; l < k; l++, ap += acs, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = b0.fma(FloatVector.broadcast(S, a[ap]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[ap + ars]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[ap + 2 * ars]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[ap + 3 * ars]), c3);
        }
        c0.intoArray(c, r0);
        c1.intoArray(c, r1);
        c2.intoArray(c, r2);
        c3.intoArray(c, r3);
    }

    private static void row1(float[] a, int ap, int acs, float[] b, int bp, int ldb, float[] c, int r0, int k,
            boolean accumulate) {
        FloatVector c0 = accumulate ? FloatVector.fromArray(S, c, r0) : FloatVector.zero(S);
        for (int l = 0; l < k; l++, ap += acs, bp += ldb) {
            c0 = FloatVector.fromArray(S, b, bp).fma(FloatVector.broadcast(S, a[ap]), c0);
        }
        c0.intoArray(c, r0);
    }

    private static void scalar(float[] a, int a0, int ars, int acs, float[] b, int b0, int ldb, float[] c, int c0,
            int ldc, int m, int n, int k, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int cr = c0 + i * ldc;
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cr + j] : 0f;
                int ap = a0 + i * ars;
                int bp = b0 + j;
                for (int l = 0; l < k; l++, ap += acs, bp += ldb) {
                    s = Math.fma(a[ap], b[bp], s);
                }
                c[cr + j] = s;
            }
        }
    }
}
