package org.selfsup4j.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of {@link DirectConv} on heap float arrays with the JDK Vector API
 * ({@code jdk.incubator.vector}), on operands that the caller lays out in <em>panels</em>:
 * <ul>
 *   <li>a column panel holds {@link #NR} (two vectors) consecutive columns of a matrix, row after
 *       row: {@code B[l][j] = b[b0 + (j / NR) * bPanel + l * NR + j % NR]};</li>
 *   <li>a row panel holds {@link #MR} consecutive rows, column after column:
 *       {@code A[i][l] = a[a0 + (i / MR) * aPanel + l * MR + i % MR]}.</li>
 * </ul>
 * A register tile of {@value #MR} rows by two vectors (16 accumulators) stays in registers while the
 * reduction index runs; each step loads two vectors of B and broadcasts eight A elements, all at
 * compile-time constant offsets from two running indices.
 *
 * <p>Why panels: the same tile reading A and B through run-time strides ran at 75-90 GFLOP/s on one
 * core of the 2-vCPU AVX-512 machine (eight independently bounds-checked addresses per step); on
 * panels it runs at 105-115 (benchmarks/PERF.md). The previous 4x2 tile on strided operands: 60-73.
 * Callers pad row counts to {@code MR} and column counts to {@code NR} (zero rows/columns in the
 * panels), so no tail code runs.
 *
 * <p>Only loaded when the JVM has the {@code jdk.incubator.vector} module ({@link DirectConv#AVAILABLE}).
 * Sums run in a fixed order (reduction index ascending), so results do not depend on threads.
 * <p>Deliberate twins (issue #12): {@link #gemm}, {@link #gemmTransA}, {@link #gemmOffsetB} and
 * {@link #gemmTaps3x3} repeat one register-tile loop (16 accumulators, eight broadcasts per step) over
 * four operand layouts. Each layout's addresses are compile-time offsets from running indices; a
 * version taking the layout as a parameter (or a lambda per element) put a run-time stride or a call
 * into the innermost loop and measured about 20% slower, so the loop is written out once per layout.
 */
final class ConvVectorKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile. */
    static final int MR = 8;
    /** Columns of the register tile and of a column panel: two vectors. */
    static final int NR = 2 * L;
    /** Reduction block of {@link #gemm}: a {@code KC x NR} slice of a B panel stays in the L1 cache. */
    private static final int KC = 256;
    /**
     * Largest reduction chunk of {@link #gemmOffsetB}; longer reductions are cut into equal chunks. Its B
     * rows are not packed, they overlap in the padded image (the nine taps of a channel read the same
     * rows), so the {@link #KC} bound does not apply: cutting 288 (32 channels x 9 taps) into 256 + 32
     * and 576 into 256 + 256 + 64 cost the implicit forward ~8 % (an extra pass over C, a short tail pass).
     */
    static final int KC_OFFSET = 640;

    private ConvVectorKernels() {
    }

    /**
     * {@code C[i][j] (+)= sum_{l < k} A[i][l] B[l][j]} for {@code i < m, j < n}, with A in row panels
     * (stride {@code aPanel} between panels), B in column panels (stride {@code bPanel}),
     * {@code C[i][j] = c[c0 + i*ldc + j]}; {@code m} a multiple of {@link #MR}, {@code n} of {@link #NR}.
     */
    static void gemm(float[] a, int a0, int aPanel, float[] b, int b0, int bPanel, float[] c, int c0, int ldc,
            int m, int n, int k, boolean accumulate) {
        for (int l0 = 0; l0 < k; l0 += KC) {
            int kc = Math.min(KC, k - l0);
            boolean acc = accumulate || l0 > 0;
            for (int j = 0; j < n; j += NR) {
                int bp = b0 + (j / NR) * bPanel + l0 * NR;
                for (int i = 0; i < m; i += MR) {
                    tilePanels(a, a0 + (i / MR) * aPanel + l0 * MR, b, bp, c, c0 + i * ldc + j, ldc, kc, acc);
                }
            }
        }
    }

    /**
     * {@code C[i][j] += sum_l A[i][l] B[l][j]} where A is stored <em>transposed</em> in column panels:
     * {@code A[i][l] = a[a0 + (l / NR) * aPanel + i * NR + l % NR]} (the column matrix of
     * {@link DirectConv}, rows = kernel taps, columns = pixels), reduced over {@code panels * NR} values
     * of l; B in column panels (stride {@code bPanel}); {@code m} a multiple of {@link #MR}, {@code n} of
     * {@link #NR}.
     */
    static void gemmTransA(float[] a, int a0, int aPanel, float[] b, int b0, int bPanel, float[] c, int c0, int ldc,
            int m, int n, int panels) {
        for (int j = 0; j < n; j += NR) {
            int bp = b0 + (j / NR) * bPanel;
            for (int i = 0; i < m; i += MR) {
                tileTransA(a, a0 + i * NR, aPanel, b, bp, c, c0 + i * ldc + j, ldc, panels, true);
            }
        }
    }

    /**
     * {@code C[i][j] (+)= sum_{l < k} A[i][l] B[l][j]} with A in row panels as in {@link #gemm} and B read
     * straight from a padded image: {@code B[l][j] = b[bBase + offs[l] + j]}. With {@code offs[l]} the
     * offset of kernel tap l in a zero-padded input and j a position on the padded grid, this is a
     * stride-1 convolution without a column matrix ("implicit GEMM"); {@code m} a multiple of
     * {@link #MR}, {@code n} of {@link #NR}.
     */
    static void gemmOffsetB(float[] a, int a0, int aPanel, float[] b, int bBase, int[] offs, float[] c, int c0, int ldc,
            int m, int n, int k) {
        // equal reduction chunks of at most KC_OFFSET taps (288 = 32 channels x 9 taps stays one chunk)
        int chunks = (k + KC_OFFSET - 1) / KC_OFFSET;
        int kc = (k + chunks - 1) / chunks;
        for (int l0 = 0; l0 < k; l0 += kc) {
            int l1 = Math.min(k, l0 + kc);
            boolean acc = l0 > 0;
            for (int j = 0; j < n; j += NR) {
                for (int i = 0; i < m; i += MR) {
                    tileOffsetB(a, a0 + (i / MR) * aPanel + l0 * MR, b, bBase + j, offs, l0, l1, c, c0 + i * ldc + j, ldc, acc);
                }
            }
        }
    }

    /**
     * The weight gradient of a stride-1 3x3 convolution on a padded image, without a column matrix:
     * {@code C[9ci + 3i + j][..] += sum_{l < len} a[aBase + ci*plane + i*wp + j + l] B[l][..]} for
     * {@code ci < channels}, B in column panels as in {@link #gemmTransA} ({@code n} a multiple of
     * {@link #NR}). One register tile holds the nine taps of one input channel: its nine A values per
     * step lie at three row offsets (0, wp, 2 wp) plus 0, 1, 2 from one index, so the tile needs no
     * per-row offset registers. Row {@code 9ci + t} of C gets the same products in the same order as
     * {@link #gemmTransA} on the column matrix would give it.
     */
    static void gemmTaps3x3(float[] a, int aBase, int plane, int wp, int channels, float[] b, int b0, int bPanel,
            float[] c, int c0, int ldc, int n, int len) {
        for (int j = 0; j < n; j += NR) {
            int bp = b0 + (j / NR) * bPanel;
            for (int ci = 0; ci < channels; ci++) {
                tileTaps3x3(a, aBase + ci * plane, wp, b, bp, c, c0 + 9 * ci * ldc + j, ldc, len);
            }
        }
    }

    /** {@code dst[d0 + t] += src[s0 + t]} for {@code t < len}: the scatter of the column gradient (stride 1). */
    static void addInto(float[] src, int s0, float[] dst, int d0, int len) {
        int t = 0;
        for (; t + L <= len; t += L) {
            FloatVector.fromArray(S, dst, d0 + t).add(FloatVector.fromArray(S, src, s0 + t)).intoArray(dst, d0 + t);
        }
        for (; t < len; t++) {
            dst[d0 + t] += src[s0 + t];
        }
    }

    /**
     * The register tile of {@link #gemm}: {@code C[0..MR)[0..NR) (+)= sum_{l < k} A[t][l] B[l][..]},
     * {@code A[t][l] = a[ap + l*MR + t]}, {@code B[l] = b[bp + l*NR ..]}. Written out with literal offsets
     * (not shared with {@link #tileTransA} through stride parameters: the method is too large for the JIT
     * to inline, and run-time strides cost ~20 %).
     */
    private static void tilePanels(float[] a, int ap, float[] b, int bp, float[] c, int r0, int ldc, int k, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        FloatVector c60;
        FloatVector c61;
        FloatVector c70;
        FloatVector c71;
        int r = r0;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, r);
            c01 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c10 = FloatVector.fromArray(S, c, r);
            c11 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c20 = FloatVector.fromArray(S, c, r);
            c21 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c30 = FloatVector.fromArray(S, c, r);
            c31 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c40 = FloatVector.fromArray(S, c, r);
            c41 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c50 = FloatVector.fromArray(S, c, r);
            c51 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c60 = FloatVector.fromArray(S, c, r);
            c61 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c70 = FloatVector.fromArray(S, c, r);
            c71 = FloatVector.fromArray(S, c, r + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
            c60 = c00;
            c61 = c00;
            c70 = c00;
            c71 = c00;
        }
        for (int l = 0; l < k; l++, ap += MR, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ap + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ap + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        r = r0;
        c00.intoArray(c, r);
        c01.intoArray(c, r + L);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + L);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + L);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + L);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + L);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + L);
        r += ldc;
        c60.intoArray(c, r);
        c61.intoArray(c, r + L);
        r += ldc;
        c70.intoArray(c, r);
        c71.intoArray(c, r + L);
    }

    /**
     * The register tile of {@link #gemmOffsetB}: as {@link #tilePanels}, with row l of B read at
     * {@code b[bBase + offs[l] ..]} for {@code l0 <= l < l1}.
     */
    private static void tileOffsetB(float[] a, int ap, float[] b, int bBase, int[] offs, int l0, int l1, float[] c, int r0, int ldc,
            boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        FloatVector c60;
        FloatVector c61;
        FloatVector c70;
        FloatVector c71;
        int r = r0;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, r);
            c01 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c10 = FloatVector.fromArray(S, c, r);
            c11 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c20 = FloatVector.fromArray(S, c, r);
            c21 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c30 = FloatVector.fromArray(S, c, r);
            c31 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c40 = FloatVector.fromArray(S, c, r);
            c41 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c50 = FloatVector.fromArray(S, c, r);
            c51 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c60 = FloatVector.fromArray(S, c, r);
            c61 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c70 = FloatVector.fromArray(S, c, r);
            c71 = FloatVector.fromArray(S, c, r + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
            c60 = c00;
            c61 = c00;
            c70 = c00;
            c71 = c00;
        }
        for (int l = l0; l < l1; l++, ap += MR) {
            int bp = bBase + offs[l];
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[ap + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[ap + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        r = r0;
        c00.intoArray(c, r);
        c01.intoArray(c, r + L);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + L);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + L);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + L);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + L);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + L);
        r += ldc;
        c60.intoArray(c, r);
        c61.intoArray(c, r + L);
        r += ldc;
        c70.intoArray(c, r);
        c71.intoArray(c, r + L);
    }

    /**
     * The register tile of {@link #gemmTransA}: {@code A[t][l] = a[ap + (l / NR) * aPanel + t*NR + l % NR]},
     * {@code B[l] = b[bp + l*NR ..]}, l over {@code panels} whole panels; the accumulators stay in
     * registers across panels.
     */
    private static void tileTransA(float[] a, int ap, int aPanel, float[] b, int bp, float[] c, int r0, int ldc, int panels, boolean accumulate) {
        FloatVector c00;
        FloatVector c01;
        FloatVector c10;
        FloatVector c11;
        FloatVector c20;
        FloatVector c21;
        FloatVector c30;
        FloatVector c31;
        FloatVector c40;
        FloatVector c41;
        FloatVector c50;
        FloatVector c51;
        FloatVector c60;
        FloatVector c61;
        FloatVector c70;
        FloatVector c71;
        int r = r0;
        if (accumulate) {
            c00 = FloatVector.fromArray(S, c, r);
            c01 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c10 = FloatVector.fromArray(S, c, r);
            c11 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c20 = FloatVector.fromArray(S, c, r);
            c21 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c30 = FloatVector.fromArray(S, c, r);
            c31 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c40 = FloatVector.fromArray(S, c, r);
            c41 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c50 = FloatVector.fromArray(S, c, r);
            c51 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c60 = FloatVector.fromArray(S, c, r);
            c61 = FloatVector.fromArray(S, c, r + L);
            r += ldc;
            c70 = FloatVector.fromArray(S, c, r);
            c71 = FloatVector.fromArray(S, c, r + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c00;
            c10 = c00;
            c11 = c00;
            c20 = c00;
            c21 = c00;
            c30 = c00;
            c31 = c00;
            c40 = c00;
            c41 = c00;
            c50 = c00;
            c51 = c00;
            c60 = c00;
            c61 = c00;
            c70 = c00;
            c71 = c00;
        }
        for (int p = 0; p < panels; p++, ap += aPanel - NR) {
            for (int l = 0; l < NR; l++, ap++, bp += NR) {
                FloatVector b0 = FloatVector.fromArray(S, b, bp);
                FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                c00 = b0.fma(x, c00);
                c01 = b1.fma(x, c01);
                x = FloatVector.broadcast(S, a[ap + 1 * NR]);
                c10 = b0.fma(x, c10);
                c11 = b1.fma(x, c11);
                x = FloatVector.broadcast(S, a[ap + 2 * NR]);
                c20 = b0.fma(x, c20);
                c21 = b1.fma(x, c21);
                x = FloatVector.broadcast(S, a[ap + 3 * NR]);
                c30 = b0.fma(x, c30);
                c31 = b1.fma(x, c31);
                x = FloatVector.broadcast(S, a[ap + 4 * NR]);
                c40 = b0.fma(x, c40);
                c41 = b1.fma(x, c41);
                x = FloatVector.broadcast(S, a[ap + 5 * NR]);
                c50 = b0.fma(x, c50);
                c51 = b1.fma(x, c51);
                x = FloatVector.broadcast(S, a[ap + 6 * NR]);
                c60 = b0.fma(x, c60);
                c61 = b1.fma(x, c61);
                x = FloatVector.broadcast(S, a[ap + 7 * NR]);
                c70 = b0.fma(x, c70);
                c71 = b1.fma(x, c71);
            }
        }
        r = r0;
        c00.intoArray(c, r);
        c01.intoArray(c, r + L);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + L);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + L);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + L);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + L);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + L);
        r += ldc;
        c60.intoArray(c, r);
        c61.intoArray(c, r + L);
        r += ldc;
        c70.intoArray(c, r);
        c71.intoArray(c, r + L);
    }

    /** The register tile of {@link #gemmTaps3x3}: nine rows (the taps of one channel) by {@link #NR} columns. */
    private static void tileTaps3x3(float[] a, int a0, int wp, float[] b, int bp, float[] c, int r0, int ldc, int len) {
        int r = r0;
        FloatVector c00 = FloatVector.fromArray(S, c, r);
        FloatVector c01 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c10 = FloatVector.fromArray(S, c, r);
        FloatVector c11 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c20 = FloatVector.fromArray(S, c, r);
        FloatVector c21 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c30 = FloatVector.fromArray(S, c, r);
        FloatVector c31 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c40 = FloatVector.fromArray(S, c, r);
        FloatVector c41 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c50 = FloatVector.fromArray(S, c, r);
        FloatVector c51 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c60 = FloatVector.fromArray(S, c, r);
        FloatVector c61 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c70 = FloatVector.fromArray(S, c, r);
        FloatVector c71 = FloatVector.fromArray(S, c, r + L);
        r += ldc;
        FloatVector c80 = FloatVector.fromArray(S, c, r);
        FloatVector c81 = FloatVector.fromArray(S, c, r + L);
        int a1 = a0 + wp;
        int a2 = a1 + wp;
        for (int l = 0; l < len; l++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + l]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a0 + l + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a0 + l + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a1 + l]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[a1 + l + 1]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a1 + l + 2]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[a2 + l]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[a2 + l + 1]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
            x = FloatVector.broadcast(S, a[a2 + l + 2]);
            c80 = b0.fma(x, c80);
            c81 = b1.fma(x, c81);
        }
        r = r0;
        c00.intoArray(c, r);
        c01.intoArray(c, r + L);
        r += ldc;
        c10.intoArray(c, r);
        c11.intoArray(c, r + L);
        r += ldc;
        c20.intoArray(c, r);
        c21.intoArray(c, r + L);
        r += ldc;
        c30.intoArray(c, r);
        c31.intoArray(c, r + L);
        r += ldc;
        c40.intoArray(c, r);
        c41.intoArray(c, r + L);
        r += ldc;
        c50.intoArray(c, r);
        c51.intoArray(c, r + L);
        r += ldc;
        c60.intoArray(c, r);
        c61.intoArray(c, r + L);
        r += ldc;
        c70.intoArray(c, r);
        c71.intoArray(c, r + L);
        r += ldc;
        c80.intoArray(c, r);
        c81.intoArray(c, r + L);
    }
}
