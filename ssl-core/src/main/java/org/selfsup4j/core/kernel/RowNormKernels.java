package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row standardisation with a per-channel affine step, forward and backward, as Java passes over dense
 * host arrays (CPU backend, float32/float64): the work of layer and group normalization.
 * <pre>
 * forward:  xhat = (x - mean) * invStd,  invStd = 1 / sqrt(var + eps)   (mean, biased var of each row)
 *           y    = xhat * w[c] + b[c]
 * backward: dxhat = dy * w[c];  dw[c] += sum dy * xhat;  db[c] += sum dy
 *           dx   = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
 * </pre>
 * Layout: {@code x} holds {@code R} rows of {@code D = K * S} elements; row {@code r} is {@code K}
 * channels of {@code S} consecutive elements, and its channel {@code k} uses parameter
 * {@code c = (r % G) * K + k}. LayerNorm over {@code [R, F]}: {@code G = 1, K = F, S = 1}; GroupNorm
 * of {@code [N, C, S]} in {@code G} groups: {@code R = N * G, K = C / G}.
 *
 * <p>Why: the libnd4j path broadcast along the row axis (40-70x slower than a plain element-wise op,
 * benchmarks/README) in about ten passes forward and backward; here a row is read once, its sums and
 * the result computed in double on a heap copy, and written once (float32 rounds only the stored
 * values). Rows are split into {@link Parallel#CHUNKS} fixed chunks; the parameter gradients keep one
 * partial sum per chunk, added in chunk order, so results do not depend on the thread count.
 *
 * <p>Each method returns false (nothing written) when the operands are not dense host arrays of one
 * type and the stated sizes; the caller then uses libnd4j.
 */
public final class RowNormKernels {
    /** Elements from which the rows split across threads (a few passes of a few flops each). */
    static final int PARALLEL_FROM = 1 << 15;
    private static final ThreadLocal<double[][]> ROWS = HeapBuffers.doubleSlots(2);
    private static final ThreadLocal<float[][]> STAGE = HeapBuffers.floatSlots(1);

    private RowNormKernels() {
    }

    /**
     * @param x the rows, {@code R * K * S} elements
     * @param weight {@code G * K} scales, or null for no affine step (then {@code bias} is ignored)
     * @param bias {@code G * K} shifts
     * @param out written with y
     * @param xhat written with the standardised rows (the backward reads them)
     * @param invStd written with each row's {@code 1 / sqrt(var + eps)}, at least R long
     */
    public static boolean forward(INDArray x, INDArray weight, INDArray bias, double eps, int rows, int groups,
            int channels, int spatial, INDArray out, INDArray xhat, double[] invStd) {
        DataType t = x.dataType();
        int d = channels * spatial;
        long n = (long) rows * d;
        if (!HostArrays.dense(t, x, out, xhat) || x.length() != n || out.length() != n || xhat.length() != n
                || invStd.length < rows || rows % groups != 0
                || (weight != null && (!HostArrays.dense(t, weight, bias) || weight.length() != (long) groups * channels
                        || bias.length() != weight.length()))) {
            return false;
        }
        Host xs = new Host(x);
        Host os = new Host(out);
        Host hs = new Host(xhat);
        double[] w = weight == null ? null : new Host(weight).all((int) weight.length());
        double[] b = weight == null ? null : new Host(bias).all((int) bias.length());
        Parallel.forEachChunk(rows, Parallel.CHUNKS, n >= PARALLEL_FROM, (chunk, r0, r1) -> {
            double[] row = HeapBuffers.doubles(ROWS, 0, d);
            for (int r = r0; r < r1; r++) {
                int at = r * d;
                xs.get(at, row, d);
                double mean = ChannelKernels.sum(row, 0, d) / d;
                for (int j = 0; j < d; j++) {
                    row[j] -= mean;
                }
                double inv = 1.0 / Math.sqrt(dot(row, row, d) / d + eps);
                invStd[r] = inv;
                for (int j = 0; j < d; j++) {
                    row[j] *= inv;
                }
                hs.put(at, row, d);
                if (w != null) {
                    scaleShift(row, w, b, (r % groups) * channels, channels, spatial);
                }
                os.put(at, row, d);
            }
        });
        return true;
    }

    /**
     * @param g dLoss/dy, {@code R * K * S} elements
     * @param xhat the forward's standardised rows
     * @param invStd the forward's per-row factors
     * @param weight as in {@link #forward}, or null (then the gradients are ignored)
     * @param weightGrad {@code G * K}, added to
     * @param biasGrad {@code G * K}, added to
     * @param dx written with dLoss/dx
     */
    public static boolean backward(INDArray g, INDArray xhat, double[] invStd, INDArray weight, INDArray weightGrad,
            INDArray biasGrad, int rows, int groups, int channels, int spatial, INDArray dx) {
        DataType t = g.dataType();
        int d = channels * spatial;
        long n = (long) rows * d;
        int p = groups * channels;
        if (!HostArrays.dense(t, g, xhat, dx) || g.length() != n || xhat.length() != n || dx.length() != n
                || invStd.length < rows || rows % groups != 0
                || (weight != null && (!HostArrays.dense(t, weight, weightGrad, biasGrad) || weight.length() != p
                        || weightGrad.length() != p || biasGrad.length() != p))) {
            return false;
        }
        Host gs = new Host(g);
        Host hs = new Host(xhat);
        Host ds = new Host(dx);
        double[] w = weight == null ? null : new Host(weight).all(p);
        int chunks = Parallel.CHUNKS;
        // per chunk: p weight-gradient partials, then p bias-gradient partials
        double[] partial = w == null ? null : new double[chunks * 2 * p];
        Parallel.forEachChunk(rows, chunks, n >= PARALLEL_FROM, (chunk, r0, r1) -> {
            double[] gr = HeapBuffers.doubles(ROWS, 0, d);
            double[] hr = HeapBuffers.doubles(ROWS, 1, d);
            for (int r = r0; r < r1; r++) {
                int at = r * d;
                gs.get(at, gr, d);
                hs.get(at, hr, d);
                if (w != null) {
                    affineGradient(gr, hr, w, partial, chunk * 2 * p, p, (r % groups) * channels, channels, spatial);
                }
                double m1 = ChannelKernels.sum(gr, 0, d) / d;
                double m2 = dot(gr, hr, d) / d;
                double inv = invStd[r];
                for (int j = 0; j < d; j++) {
                    gr[j] = inv * (gr[j] - m1 - hr[j] * m2);
                }
                ds.put(at, gr, d);
            }
        });
        if (w != null) {
            double[] sw = new double[p];
            double[] sb = new double[p];
            for (int c = 0; c < chunks; c++) {
                int base = c * 2 * p;
                for (int k = 0; k < p; k++) {
                    sw[k] += partial[base + k];
                    sb[k] += partial[base + p + k];
                }
            }
            new Host(weightGrad).addAll(sw, p);
            new Host(biasGrad).addAll(sb, p);
        }
        return true;
    }

    /** {@code row = row * w[c] + b[c]} over a row's channels, from parameter {@code c0}. */
    private static void scaleShift(double[] row, double[] w, double[] b, int c0, int channels, int spatial) {
        if (spatial == 1) {
            // layer norm: one parameter per element, a loop the JIT vectorises
            for (int k = 0; k < channels; k++) {
                row[k] = row[k] * w[c0 + k] + b[c0 + k];
            }
            return;
        }
        for (int k = 0, j = 0; k < channels; k++, j += spatial) {
            double wk = w[c0 + k];
            double bk = b[c0 + k];
            for (int s = j; s < j + spatial; s++) {
                row[s] = row[s] * wk + bk;
            }
        }
    }

    /**
     * Adds a row's {@code dy * xhat} and {@code dy} to its chunk's partials (at {@code base}, weight then
     * bias), and turns {@code gr} from dy into {@code dxhat = dy * w[c]}.
     */
    private static void affineGradient(double[] gr, double[] hr, double[] w, double[] partial, int base, int p, int c0,
            int channels, int spatial) {
        int wb = base + c0;
        int bb = base + p + c0;
        if (spatial == 1) {
            for (int k = 0; k < channels; k++) {
                partial[wb + k] += gr[k] * hr[k];
                partial[bb + k] += gr[k];
                gr[k] *= w[c0 + k];
            }
            return;
        }
        for (int k = 0, j = 0; k < channels; k++, j += spatial) {
            double sw = 0;
            double sb = 0;
            double wk = w[c0 + k];
            for (int s = j; s < j + spatial; s++) {
                sw += gr[s] * hr[s];
                sb += gr[s];
                gr[s] *= wk;
            }
            partial[wb + k] += sw;
            partial[bb + k] += sb;
        }
    }

    /** {@code sum a[j] b[j]} for {@code j < len}, in double, in a fixed order (four running sums). */
    private static double dot(double[] a, double[] b, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < len; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * A dense float32 or float64 host array read and written as doubles: the one place where the two
     * element types differ (the row arithmetic runs in double for both).
     */
    private static final class Host {
        private final FloatBuffer f;
        private final DoubleBuffer d;
        private final int start;

        Host(INDArray a) {
            boolean isFloat = a.dataType() == DataType.FLOAT;
            f = isFloat ? HostArrays.floats(a) : null;
            d = isFloat ? null : HostArrays.doubles(a);
            start = HostArrays.start(a);
        }

        void get(int at, double[] dst, int len) {
            if (d != null) {
                d.get(start + at, dst, 0, len);
                return;
            }
            float[] s = HeapBuffers.floats(STAGE, 0, len);
            f.get(start + at, s, 0, len);
            for (int j = 0; j < len; j++) {
                dst[j] = s[j];
            }
        }

        void put(int at, double[] src, int len) {
            if (d != null) {
                d.put(start + at, src, 0, len);
                return;
            }
            float[] s = HeapBuffers.floats(STAGE, 0, len);
            for (int j = 0; j < len; j++) {
                s[j] = (float) src[j];
            }
            f.put(start + at, s, 0, len);
        }

        double[] all(int len) {
            double[] v = new double[len];
            get(0, v, len);
            return v;
        }

        void addAll(double[] add, int len) {
            double[] v = all(len);
            for (int j = 0; j < len; j++) {
                v[j] += add[j];
            }
            put(0, v, len);
        }
    }
}
