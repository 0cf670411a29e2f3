package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Per-channel passes of batch normalization over contiguous {@code [N, C, S]} host arrays, sample by
 * sample through a heap row buffer (bulk NIO get/put, loops the JIT vectorizes).
 *
 * <p>Why: libnd4j's broadcast ops along the channel axis ({@code BroadcastSubOp/MulOp/AddOp} with
 * dimension 1 of {@code [N, C, S]}) ran 40-70 times slower than a plain element-wise op on 2 vCPUs
 * (37 ms against 0.5 ms for 2M floats), and made batch norm a third of a ResNet step; these loops take
 * about as long as one element-wise libnd4j op. Sums accumulate in double, eight partial sums per
 * run of a channel (one running sum is bound by the add's latency, not by memory).
 *
 * <p>Threads: every pass splits the samples into {@link #chunks} fixed chunks through {@link Parallel};
 * a sum is the chunks' partials added in chunk order, whether the chunks ran on several threads
 * (large arrays) or one after the other. So results depend on N only, never on load or on the
 * number of cores. Offsets and lengths are in elements of the NIO buffers; each thread has its own
 * row buffers.
 * <p>Deliberate twins (issue #12): the FLOAT and DOUBLE sections repeat each pass
 * ({@code sums}, {@code center}, {@code scaleShift}, {@code gradSums}, {@code gradInput}) and the
 * eight-accumulator reductions ({@code sum}, {@code dot}) for {@code float[]} and {@code double[]}: as
 * in {@link ElementwiseKernels}, one body over a shared abstraction stops the vectorized loops (about
 * 20% slower), so the element types keep one body each.
 */
public final class ChannelKernels {
    private static final ThreadLocal<float[][]> FLOAT_ROWS = HeapBuffers.floatSlots(2);
    private static final ThreadLocal<double[][]> DOUBLE_ROWS = HeapBuffers.doubleSlots(2);
    /** Elements per half batch below which all chunks run on the calling thread. */
    private static final long PARALLEL_MIN = 1 << 19;

    private ChannelKernels() {
    }

    /** Row buffer {@code which} (0 or 1) of this thread, at least {@code len} floats. */
    static float[] floatRow(int which, int len) {
        return HeapBuffers.floats(FLOAT_ROWS, which, len);
    }

    /** Row buffer {@code which} (0 or 1) of this thread, at least {@code len} doubles. */
    static double[] doubleRow(int which, int len) {
        return HeapBuffers.doubles(DOUBLE_ROWS, which, len);
    }

    /** Chunks of a batch of {@code n} samples: {@link Parallel#CHUNKS}, at most one per sample. */
    static int chunks(int n) {
        return Math.max(1, Math.min(Parallel.CHUNKS, n));
    }

    /** Runs {@code body} over the fixed chunks of {@code n} samples of {@code perSample} elements. */
    private static void forChunks(int n, long perSample, Parallel.Body body) {
        Parallel.forEachChunk(n, chunks(n), (long) (n / 2) * perSample >= PARALLEL_MIN, body);
    }

    /** {@code out[c] += part[0][c]; out[c] += part[1][c]; ...}, the chunks added in order. */
    private static void combine(double[] out, double[][] part) {
        for (double[] p : part) {
            for (int ch = 0; ch < out.length; ch++) {
                out[ch] += p[ch];
            }
        }
    }

    /** Sum of {@code b[p .. p+len)} in double, eight partial sums added pairwise (a fixed order). */
    static double sum(float[] b, int p, int len) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            a0 += b[k];
            a1 += b[k + 1];
            a2 += b[k + 2];
            a3 += b[k + 3];
            a4 += b[k + 4];
            a5 += b[k + 5];
            a6 += b[k + 6];
            a7 += b[k + 7];
        }
        for (; k < end; k++) {
            a0 += b[k];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** As {@link #sum(float[], int, int)} for doubles. */
    static double sum(double[] b, int p, int len) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            a0 += b[k];
            a1 += b[k + 1];
            a2 += b[k + 2];
            a3 += b[k + 3];
            a4 += b[k + 4];
            a5 += b[k + 5];
            a6 += b[k + 6];
            a7 += b[k + 7];
        }
        for (; k < end; k++) {
            a0 += b[k];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /** Sum of {@code a[k] * b[k]} over {@code [p, p+len)} in double, as {@link #sum(float[], int, int)}. */
    static double dot(float[] a, float[] b, int p, int len) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            a0 += (double) a[k] * b[k];
            a1 += (double) a[k + 1] * b[k + 1];
            a2 += (double) a[k + 2] * b[k + 2];
            a3 += (double) a[k + 3] * b[k + 3];
            a4 += (double) a[k + 4] * b[k + 4];
            a5 += (double) a[k + 5] * b[k + 5];
            a6 += (double) a[k + 6] * b[k + 6];
            a7 += (double) a[k + 7] * b[k + 7];
        }
        for (; k < end; k++) {
            a0 += (double) a[k] * b[k];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * {@code sum((b[k] - m)^2)} over {@code [p, p+len)}: the difference rounded to float, squared and summed
     * in double as {@link #dot(float[], float[], int, int)} of the centred row with itself (bit-identical),
     * without writing the centred row.
     */
    static double sumSquaredDeviations(float[] b, int p, int len, float m) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            float v0 = b[k] - m;
            float v1 = b[k + 1] - m;
            float v2 = b[k + 2] - m;
            float v3 = b[k + 3] - m;
            float v4 = b[k + 4] - m;
            float v5 = b[k + 5] - m;
            float v6 = b[k + 6] - m;
            float v7 = b[k + 7] - m;
            a0 += (double) v0 * v0;
            a1 += (double) v1 * v1;
            a2 += (double) v2 * v2;
            a3 += (double) v3 * v3;
            a4 += (double) v4 * v4;
            a5 += (double) v5 * v5;
            a6 += (double) v6 * v6;
            a7 += (double) v7 * v7;
        }
        for (; k < end; k++) {
            float v = b[k] - m;
            a0 += (double) v * v;
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * In one pass over {@code [p, p+len)}: {@code out[0] += sum(g)} and {@code out[1] += sum(g * xhat)} with
     * {@code xhat = (x - m) * a} rounded to float as {@link #xhatRow} forms it; each sum as
     * {@link #sum(float[], int, int)} and {@link #dot(float[], float[], int, int)} compute it (bit-identical),
     * without writing xhat.
     */
    static void sumAndDotXhat(float[] g, float[] x, int p, int len, float m, float a, double[] out) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            float g0 = g[k];
            s0 += g0;
            d0 += (double) g0 * ((x[k] - m) * a);
            float g1 = g[k + 1];
            s1 += g1;
            d1 += (double) g1 * ((x[k + 1] - m) * a);
            float g2 = g[k + 2];
            s2 += g2;
            d2 += (double) g2 * ((x[k + 2] - m) * a);
            float g3 = g[k + 3];
            s3 += g3;
            d3 += (double) g3 * ((x[k + 3] - m) * a);
            float g4 = g[k + 4];
            s4 += g4;
            d4 += (double) g4 * ((x[k + 4] - m) * a);
            float g5 = g[k + 5];
            s5 += g5;
            d5 += (double) g5 * ((x[k + 5] - m) * a);
            float g6 = g[k + 6];
            s6 += g6;
            d6 += (double) g6 * ((x[k + 6] - m) * a);
            float g7 = g[k + 7];
            s7 += g7;
            d7 += (double) g7 * ((x[k + 7] - m) * a);
        }
        for (; k < end; k++) {
            s0 += g[k];
            d0 += (double) g[k] * ((x[k] - m) * a);
        }
        out[0] += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        out[1] += ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
    }

    /** As {@link #dot(float[], float[], int, int)} for doubles. */
    static double dot(double[] a, double[] b, int p, int len) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int k = p;
        int end = p + len;
        for (; k + 7 < end; k += 8) {
            a0 += a[k] * b[k];
            a1 += a[k + 1] * b[k + 1];
            a2 += a[k + 2] * b[k + 2];
            a3 += a[k + 3] * b[k + 3];
            a4 += a[k + 4] * b[k + 4];
            a5 += a[k + 5] * b[k + 5];
            a6 += a[k + 6] * b[k + 6];
            a7 += a[k + 7] * b[k + 7];
        }
        for (; k < end; k++) {
            a0 += a[k] * b[k];
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    /**
     * One sample's row of xhat: read from {@code src} as stored, or, when {@code sub} is not null, formed
     * from the layer's input as {@code (x - sub[c]) * a[c]} with the forward's float roundings, so batch
     * norm keeps no xhat array (bit-identical to the stored one).
     */
    private static void xhatRow(FloatBuffer src, int off, float[] bh, int c, int s, double[] sub, double[] a) {
        src.get(off, bh, 0, c * s);
        if (sub != null) {
            for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                float m = (float) sub[ch];
                float av = (float) a[ch];
                // one pass: the same two float roundings as subtracting, then scaling, in two passes
                for (int k = p; k < p + s; k++) {
                    bh[k] = (bh[k] - m) * av;
                }
            }
        }
    }

    /** As the float version. */
    private static void xhatRow(DoubleBuffer src, int off, double[] bh, int c, int s, double[] sub, double[] a) {
        src.get(off, bh, 0, c * s);
        if (sub != null) {
            for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                double m = sub[ch];
                double av = a[ch];
                for (int k = p; k < p + s; k++) {
                    bh[k] -= m;
                }
                for (int k = p; k < p + s; k++) {
                    bh[k] *= av;
                }
            }
        }
    }

    // ---- FLOAT ----

    /** out[c] += sum over samples and positions of x. */
    public static void sums(FloatBuffer x, int x0, int n, int c, int s, double[] out) {
        int row = c * s;
        double[][] part = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            float[] bx = floatRow(0, row);
            double[] acc = part[h];
            for (int i = from; i < to; i++) {
                x.get(x0 + i * row, bx, 0, row);
                for (int ch = 0; ch < c; ch++) {
                    acc[ch] += sum(bx, ch * s, s);
                }
            }
        });
        combine(out, part);
    }

    /** d = x - sub[c] (not written when d is null); sq[c] += sum of d squared. */
    public static void center(FloatBuffer x, int x0, FloatBuffer d, int d0, int n, int c, int s, double[] sub, double[] sq) {
        int row = c * s;
        double[][] part = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            float[] bx = floatRow(0, row);
            double[] acc = part[h];
            for (int i = from; i < to; i++) {
                x.get(x0 + i * row, bx, 0, row);
                if (d == null) {
                    // batch norm's forward: the squared deviations only, in one pass per channel
                    for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                        acc[ch] += sumSquaredDeviations(bx, p, s, (float) sub[ch]);
                    }
                    continue;
                }
                for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                    float m = (float) sub[ch];
                    for (int k = p; k < p + s; k++) {
                        bx[k] -= m;
                    }
                    acc[ch] += dot(bx, bx, p, s);
                }
                d.put(d0 + i * row, bx, 0, row);
            }
        });
        combine(sq, part);
    }

    /**
     * xhat = (src - sub[c]) * a[c] (src itself when sub is null); out = xhat * w[c] + b[c] (out = xhat when w
     * is null), then out = max(out, 0) when {@code relu}. Reading the input here rather than a centred copy
     * saves batch norm's forward one write pass.
     */
    public static void scaleShift(FloatBuffer src, int s0, double[] sub, FloatBuffer xhat, int h0, FloatBuffer out, int o0,
            int n, int c, int s, double[] a, double[] w, double[] b, boolean relu) {
        int row = c * s;
        if (xhat == null && sub != null && w != null) {
            scaleShiftFused(src, s0, sub, out, o0, n, c, s, a, w, b, relu);
            return;
        }
        forChunks(n, row, (h, from, to) -> {
            float[] bx = floatRow(0, row);
            for (int i = from; i < to; i++) {
                src.get(s0 + i * row, bx, 0, row);
                if (sub != null) {
                    for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                        float m = (float) sub[ch];
                        for (int k = p; k < p + s; k++) {
                            bx[k] -= m;
                        }
                    }
                }
                for (int ch = 0, p = 0; ch < c; ch++) {
                    float av = (float) a[ch];
                    for (int k = 0; k < s; k++) {
                        bx[p + k] *= av;
                    }
                    p += s;
                }
                if (xhat != null) {
                    xhat.put(h0 + i * row, bx, 0, row);
                }
                if (w != null) {
                    for (int ch = 0, p = 0; ch < c; ch++) {
                        float wv = (float) w[ch];
                        float bv = (float) b[ch];
                        for (int k = 0; k < s; k++) {
                            bx[p + k] = bx[p + k] * wv + bv;
                        }
                        p += s;
                    }
                }
                if (relu) {
                    for (int k = 0; k < row; k++) {
                        bx[k] = Math.max(bx[k], 0);
                    }
                }
                out.put(o0 + i * row, bx, 0, row);
            }
        });
    }

    /**
     * {@link #scaleShift} without a stored xhat, with centring and an affine map (batch norm's training
     * forward): one pass per channel over the row instead of four (centre, scale, affine, ReLU), each value
     * getting the same float roundings in the same order, so the output is bit-identical.
     */
    private static void scaleShiftFused(FloatBuffer src, int s0, double[] sub, FloatBuffer out, int o0, int n, int c,
            int s, double[] a, double[] w, double[] b, boolean relu) {
        int row = c * s;
        forChunks(n, row, (h, from, to) -> {
            float[] bx = floatRow(0, row);
            for (int i = from; i < to; i++) {
                src.get(s0 + i * row, bx, 0, row);
                for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                    float m = (float) sub[ch];
                    float av = (float) a[ch];
                    float wv = (float) w[ch];
                    float bv = (float) b[ch];
                    if (relu) {
                        for (int k = p; k < p + s; k++) {
                            bx[k] = Math.max((bx[k] - m) * av * wv + bv, 0);
                        }
                    } else {
                        for (int k = p; k < p + s; k++) {
                            bx[k] = (bx[k] - m) * av * wv + bv;
                        }
                    }
                }
                out.put(o0 + i * row, bx, 0, row);
            }
        });
    }

    /** s1[c] += sum of g; s2[c] += sum of g * xhat. */
    public static void gradSums(FloatBuffer g, int g0, FloatBuffer xhat, int h0, double[] sub, double[] a, int n, int c,
            int s, double[] s1, double[] s2) {
        int row = c * s;
        double[][] p1 = new double[chunks(n)][c];
        double[][] p2 = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            float[] bg = floatRow(0, row);
            float[] bh = floatRow(1, row);
            double[] pair = new double[2];
            for (int i = from; i < to; i++) {
                g.get(g0 + i * row, bg, 0, row);
                if (sub != null) {
                    // xhat formed inside the sums' pass: one pass per channel instead of three
                    xhat.get(h0 + i * row, bh, 0, row);
                    for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                        pair[0] = 0;
                        pair[1] = 0;
                        sumAndDotXhat(bg, bh, p, s, (float) sub[ch], (float) a[ch], pair);
                        p1[h][ch] += pair[0];
                        p2[h][ch] += pair[1];
                    }
                    continue;
                }
                xhatRow(xhat, h0 + i * row, bh, c, s, sub, a);
                for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                    p1[h][ch] += sum(bg, p, s);
                    p2[h][ch] += dot(bg, bh, p, s);
                }
            }
        });
        combine(s1, p1);
        combine(s2, p2);
    }

    /** dx = scale[c] * (g + k1[c] + xhat * k2[c]). */
    public static void gradInput(FloatBuffer g, int g0, FloatBuffer xhat, int h0, double[] sub, double[] a, FloatBuffer dx,
            int dx0, int n, int c, int s, double[] scale, double[] k1, double[] k2) {
        int row = c * s;
        forChunks(n, row, (h, from, to) -> {
            float[] bg = floatRow(0, row);
            float[] bh = floatRow(1, row);
            for (int i = from; i < to; i++) {
                g.get(g0 + i * row, bg, 0, row);
                if (sub != null) {
                    // xhat formed inside the same pass (same float roundings as xhatRow, one pass fewer)
                    xhat.get(h0 + i * row, bh, 0, row);
                    for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                        float m = (float) sub[ch];
                        float av = (float) a[ch];
                        float sc = (float) scale[ch];
                        float c1 = (float) k1[ch];
                        float c2 = (float) k2[ch];
                        for (int k = p; k < p + s; k++) {
                            bg[k] = sc * (bg[k] + c1 + (bh[k] - m) * av * c2);
                        }
                    }
                    dx.put(dx0 + i * row, bg, 0, row);
                    continue;
                }
                xhatRow(xhat, h0 + i * row, bh, c, s, sub, a);
                for (int ch = 0, p = 0; ch < c; ch++) {
                    float sc = (float) scale[ch];
                    float c1 = (float) k1[ch];
                    float c2 = (float) k2[ch];
                    for (int k = 0; k < s; k++) {
                        bg[p + k] = sc * (bg[p + k] + c1 + bh[p + k] * c2);
                    }
                    p += s;
                }
                dx.put(dx0 + i * row, bg, 0, row);
            }
        });
    }

    // ---- DOUBLE ----

    /** out[c] += sum over samples and positions of x. */
    public static void sums(DoubleBuffer x, int x0, int n, int c, int s, double[] out) {
        int row = c * s;
        double[][] part = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            double[] bx = doubleRow(0, row);
            double[] acc = part[h];
            for (int i = from; i < to; i++) {
                x.get(x0 + i * row, bx, 0, row);
                for (int ch = 0; ch < c; ch++) {
                    acc[ch] += sum(bx, ch * s, s);
                }
            }
        });
        combine(out, part);
    }

    /** d = x - sub[c] (not written when d is null); sq[c] += sum of d squared. */
    public static void center(DoubleBuffer x, int x0, DoubleBuffer d, int d0, int n, int c, int s, double[] sub,
            double[] sq) {
        int row = c * s;
        double[][] part = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            double[] bx = doubleRow(0, row);
            double[] acc = part[h];
            for (int i = from; i < to; i++) {
                x.get(x0 + i * row, bx, 0, row);
                for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                    double m = sub[ch];
                    for (int k = p; k < p + s; k++) {
                        bx[k] -= m;
                    }
                    acc[ch] += dot(bx, bx, p, s);
                }
                if (d != null) {
                    d.put(d0 + i * row, bx, 0, row);
                }
            }
        });
        combine(sq, part);
    }

    /** As the float version. */
    public static void scaleShift(DoubleBuffer src, int s0, double[] sub, DoubleBuffer xhat, int h0, DoubleBuffer out, int o0,
            int n, int c, int s, double[] a, double[] w, double[] b, boolean relu) {
        int row = c * s;
        forChunks(n, row, (h, from, to) -> {
            double[] bx = doubleRow(0, row);
            for (int i = from; i < to; i++) {
                src.get(s0 + i * row, bx, 0, row);
                if (sub != null) {
                    for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                        double m = sub[ch];
                        for (int k = p; k < p + s; k++) {
                            bx[k] -= m;
                        }
                    }
                }
                for (int ch = 0, p = 0; ch < c; ch++) {
                    double av = a[ch];
                    for (int k = 0; k < s; k++) {
                        bx[p + k] *= av;
                    }
                    p += s;
                }
                if (xhat != null) {
                    xhat.put(h0 + i * row, bx, 0, row);
                }
                if (w != null) {
                    for (int ch = 0, p = 0; ch < c; ch++) {
                        double wv = w[ch];
                        double bv = b[ch];
                        for (int k = 0; k < s; k++) {
                            bx[p + k] = bx[p + k] * wv + bv;
                        }
                        p += s;
                    }
                }
                if (relu) {
                    for (int k = 0; k < row; k++) {
                        bx[k] = Math.max(bx[k], 0);
                    }
                }
                out.put(o0 + i * row, bx, 0, row);
            }
        });
    }

    /** s1[c] += sum of g; s2[c] += sum of g * xhat. */
    public static void gradSums(DoubleBuffer g, int g0, DoubleBuffer xhat, int h0, double[] sub, double[] a, int n, int c,
            int s, double[] s1, double[] s2) {
        int row = c * s;
        double[][] p1 = new double[chunks(n)][c];
        double[][] p2 = new double[chunks(n)][c];
        forChunks(n, row, (h, from, to) -> {
            double[] bg = doubleRow(0, row);
            double[] bh = doubleRow(1, row);
            for (int i = from; i < to; i++) {
                g.get(g0 + i * row, bg, 0, row);
                xhatRow(xhat, h0 + i * row, bh, c, s, sub, a);
                for (int ch = 0, p = 0; ch < c; ch++, p += s) {
                    p1[h][ch] += sum(bg, p, s);
                    p2[h][ch] += dot(bg, bh, p, s);
                }
            }
        });
        combine(s1, p1);
        combine(s2, p2);
    }

    /** dx = scale[c] * (g + k1[c] + xhat * k2[c]). */
    public static void gradInput(DoubleBuffer g, int g0, DoubleBuffer xhat, int h0, double[] sub, double[] a, DoubleBuffer dx,
            int dx0, int n, int c, int s, double[] scale, double[] k1, double[] k2) {
        int row = c * s;
        forChunks(n, row, (h, from, to) -> {
            double[] bg = doubleRow(0, row);
            double[] bh = doubleRow(1, row);
            for (int i = from; i < to; i++) {
                g.get(g0 + i * row, bg, 0, row);
                xhatRow(xhat, h0 + i * row, bh, c, s, sub, a);
                for (int ch = 0, p = 0; ch < c; ch++) {
                    double sc = scale[ch];
                    double c1 = k1[ch];
                    double c2 = k2[ch];
                    for (int k = 0; k < s; k++) {
                        bg[p + k] = sc * (bg[p + k] + c1 + bh[p + k] * c2);
                    }
                    p += s;
                }
                dx.put(dx0 + i * row, bg, 0, row);
            }
        });
    }
}
