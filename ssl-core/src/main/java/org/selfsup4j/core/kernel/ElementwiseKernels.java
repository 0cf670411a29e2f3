package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ReLU's backward, the residual add fused with ReLU, global average pooling and a linear layer's bias, as
 * Java passes over dense host arrays (CPU backend, float32/float64). Each method returns false
 * when its operands are not dense host arrays of one type; the caller then uses libnd4j.
 *
 * <p>Why: libnd4j's {@code relu_bp} and its column broadcast (pooling's backward) ran 5-10x slower
 * than memory speed on 2 vCPUs, and every op call costs microseconds, which dominates the small
 * activations of a small encoder. The element-wise passes split through {@link Parallel} past
 * {@link HostArrays#PARALLEL_THRESHOLD} elements (a fixed split: results do not depend on load);
 * the pooling sums run per row in one thread, in double, in a fixed order.
 *
 * <p>NaN: the fused add + ReLU keeps NaN ({@code max(NaN, 0)} is NaN), as libnd4j's relu does, so the
 * trainer's guard still sees it. ReLU's forward stays with libnd4j: its relu is vectorized and threaded,
 * 1.6x faster than a Java pass (bulk copy in, loop, bulk copy out) at 2M floats.
 * <p>Deliberate twins (issue #12): every method has a float32 and a float64 body that differ
 * only in the element type. Java generics do not reach primitive arrays and NIO buffers, and a body
 * over a common interface (or boxed/converted elements) keeps the JIT from vectorizing the loop: a
 * parameterised version of these twins was measured about 20% slower (issue #12), so both bodies
 * stay, side by side in each method.
 */
public final class ElementwiseKernels {
    private static final int CHUNK = HostArrays.CHUNK;

    private ElementwiseKernels() {
    }

    /** {@code out = max(a + b, 0)}: the residual sum and its ReLU in one pass. */
    public static boolean addRelu(INDArray a, INDArray b, INDArray out) {
        DataType t = a.dataType();
        if (!HostArrays.dense(t, a, b, out) || a.length() != out.length() || b.length() != out.length()) {
            return false;
        }
        int n = (int) a.length();
        int a0 = HostArrays.start(a);
        int b0 = HostArrays.start(b);
        int o0 = HostArrays.start(out);
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(a);
            FloatBuffer z = HostArrays.floats(b);
            FloatBuffer y = HostArrays.floats(out);
            HostArrays.forRange(n, (from, to) -> {
                float[][] c = HostArrays.floatChunks();
                float[] bx = c[0];
                float[] bz = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    x.get(a0 + off, bx, 0, len);
                    z.get(b0 + off, bz, 0, len);
                    for (int i = 0; i < len; i++) {
                        bx[i] = Math.max(bx[i] + bz[i], 0f);
                    }
                    y.put(o0 + off, bx, 0, len);
                }
            });
        } else {
            DoubleBuffer x = HostArrays.doubles(a);
            DoubleBuffer z = HostArrays.doubles(b);
            DoubleBuffer y = HostArrays.doubles(out);
            HostArrays.forRange(n, (from, to) -> {
                double[][] c = HostArrays.doubleChunks();
                double[] bx = c[0];
                double[] bz = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    x.get(a0 + off, bx, 0, len);
                    z.get(b0 + off, bz, 0, len);
                    for (int i = 0; i < len; i++) {
                        bx[i] = Math.max(bx[i] + bz[i], 0.0);
                    }
                    y.put(o0 + off, bx, 0, len);
                }
            });
        }
        return true;
    }

    /**
     * {@code gradIn = gradOut * [out > 0]}, with {@code out} the ReLU's output (positive exactly where
     * its input was). The indicator is {@code min(out * 2^200, 1)} (1 for every positive number,
     * subnormals included; 0 for 0), a multiply the JIT vectorizes where a float select is not. Unlike
     * libnd4j's {@code relu_bp}, a non-finite gradient where {@code out} is 0 stays NaN instead of
     * becoming 0, which only makes the trainer's NaN guard stricter.
     */
    static boolean reluBackward(INDArray out, INDArray gradOut, INDArray gradIn) {
        DataType t = out.dataType();
        if (!HostArrays.dense(t, out, gradOut, gradIn) || out.length() != gradOut.length()
                || out.length() != gradIn.length()) {
            return false;
        }
        int n = (int) out.length();
        int y0 = HostArrays.start(out);
        int g0 = HostArrays.start(gradOut);
        int d0 = HostArrays.start(gradIn);
        if (t == DataType.FLOAT) {
            FloatBuffer y = HostArrays.floats(out);
            FloatBuffer g = HostArrays.floats(gradOut);
            FloatBuffer d = HostArrays.floats(gradIn);
            HostArrays.forRange(n, (from, to) -> {
                float[][] c = HostArrays.floatChunks();
                float[] by = c[0];
                float[] bg = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    y.get(y0 + off, by, 0, len);
                    g.get(g0 + off, bg, 0, len);
                    for (int i = 0; i < len; i++) {
                        // two factors: 2^200 is no float; the smallest subnormal 2^-149 reaches 2^51
                        bg[i] *= Math.min(by[i] * 0x1p100f * 0x1p100f, 1f);
                    }
                    d.put(d0 + off, bg, 0, len);
                }
            });
        } else {
            DoubleBuffer y = HostArrays.doubles(out);
            DoubleBuffer g = HostArrays.doubles(gradOut);
            DoubleBuffer d = HostArrays.doubles(gradIn);
            HostArrays.forRange(n, (from, to) -> {
                double[][] c = HostArrays.doubleChunks();
                double[] by = c[0];
                double[] bg = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    y.get(y0 + off, by, 0, len);
                    g.get(g0 + off, bg, 0, len);
                    for (int i = 0; i < len; i++) {
                        // the smallest subnormal 2^-1074 times 2^1100 is 2^26
                        bg[i] *= Math.min(by[i] * 0x1p550 * 0x1p550, 1.0);
                    }
                    d.put(d0 + off, bg, 0, len);
                }
            });
        }
        return true;
    }

    /**
     * {@code out[r] = mean of in[r, 0..s)} over {@code rows} rows of {@code s} elements; sums in
     * double with {@link ChannelKernels#sum} (a fixed order). Rows are read in blocks of about
     * {@link HostArrays#CHUNK} elements: one bulk copy per row cost more than the sums for short rows.
     */
    public static boolean rowMeans(INDArray in, INDArray out, int rows, int s) {
        DataType t = in.dataType();
        if (!HostArrays.dense(t, in, out) || (long) rows * s != in.length() || out.length() != rows) {
            return false;
        }
        int i0 = HostArrays.start(in);
        int o0 = HostArrays.start(out);
        double inv = 1.0 / s;
        int block = Math.max(1, CHUNK / s);
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(in);
            FloatBuffer y = HostArrays.floats(out);
            float[] b = ChannelKernels.floatRow(0, block * s);
            float[] m = ChannelKernels.floatRow(1, block);
            for (int r = 0; r < rows; r += block) {
                int nr = Math.min(block, rows - r);
                x.get(i0 + r * s, b, 0, nr * s);
                for (int q = 0; q < nr; q++) {
                    m[q] = (float) (ChannelKernels.sum(b, q * s, s) * inv);
                }
                y.put(o0 + r, m, 0, nr);
            }
        } else {
            DoubleBuffer x = HostArrays.doubles(in);
            DoubleBuffer y = HostArrays.doubles(out);
            double[] b = ChannelKernels.doubleRow(0, block * s);
            double[] m = ChannelKernels.doubleRow(1, block);
            for (int r = 0; r < rows; r += block) {
                int nr = Math.min(block, rows - r);
                x.get(i0 + r * s, b, 0, nr * s);
                for (int q = 0; q < nr; q++) {
                    m[q] = ChannelKernels.sum(b, q * s, s) * inv;
                }
                y.put(o0 + r, m, 0, nr);
            }
        }
        return true;
    }

    /** {@code out[r, k] = g[r] / s}: the gradient of {@link #rowMeans}. */
    public static boolean spreadRows(INDArray g, INDArray out, int rows, int s) {
        DataType t = g.dataType();
        if (!HostArrays.dense(t, g, out) || (long) rows * s != out.length() || g.length() != rows) {
            return false;
        }
        int g0 = HostArrays.start(g);
        int o0 = HostArrays.start(out);
        double inv = 1.0 / s;
        int block = Math.max(1, CHUNK / s);
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(g);
            FloatBuffer y = HostArrays.floats(out);
            float[] b = ChannelKernels.floatRow(0, block * s);
            float[] m = ChannelKernels.floatRow(1, block);
            for (int r = 0; r < rows; r += block) {
                int nr = Math.min(block, rows - r);
                x.get(g0 + r, m, 0, nr);
                for (int q = 0; q < nr; q++) {
                    java.util.Arrays.fill(b, q * s, (q + 1) * s, (float) (m[q] * inv));
                }
                y.put(o0 + r * s, b, 0, nr * s);
            }
        } else {
            DoubleBuffer x = HostArrays.doubles(g);
            DoubleBuffer y = HostArrays.doubles(out);
            double[] b = ChannelKernels.doubleRow(0, block * s);
            double[] m = ChannelKernels.doubleRow(1, block);
            for (int r = 0; r < rows; r += block) {
                int nr = Math.min(block, rows - r);
                x.get(g0 + r, m, 0, nr);
                for (int q = 0; q < nr; q++) {
                    java.util.Arrays.fill(b, q * s, (q + 1) * s, m[q] * inv);
                }
                y.put(o0 + r * s, b, 0, nr * s);
            }
        }
        return true;
    }

    /** {@code m[r, j] += v[j]} over a dense {@code [rows, cols]} matrix: a linear layer's bias. */
    public static boolean addRowVector(INDArray m, INDArray v, int rows, int cols) {
        DataType t = m.dataType();
        if (!HostArrays.dense(t, m, v) || (long) rows * cols != m.length() || v.length() != cols) {
            return false;
        }
        int m0 = HostArrays.start(m);
        int v0 = HostArrays.start(v);
        int block = Math.max(1, CHUNK / cols);
        if (t == DataType.FLOAT) {
            FloatBuffer mb = HostArrays.floats(m);
            float[] bv = ChannelKernels.floatRow(1, cols);
            HostArrays.floats(v).get(v0, bv, 0, cols);
            float[] b = ChannelKernels.floatRow(0, block * cols);
            for (int r = 0; r < rows; r += block) {
                int len = Math.min(block, rows - r) * cols;
                mb.get(m0 + r * cols, b, 0, len);
                for (int p = 0; p < len; p += cols) {
                    for (int j = 0; j < cols; j++) {
                        b[p + j] += bv[j];
                    }
                }
                mb.put(m0 + r * cols, b, 0, len);
            }
        } else {
            DoubleBuffer mb = HostArrays.doubles(m);
            double[] bv = ChannelKernels.doubleRow(1, cols);
            HostArrays.doubles(v).get(v0, bv, 0, cols);
            double[] b = ChannelKernels.doubleRow(0, block * cols);
            for (int r = 0; r < rows; r += block) {
                int len = Math.min(block, rows - r) * cols;
                mb.get(m0 + r * cols, b, 0, len);
                for (int p = 0; p < len; p += cols) {
                    for (int j = 0; j < cols; j++) {
                        b[p + j] += bv[j];
                    }
                }
                mb.put(m0 + r * cols, b, 0, len);
            }
        }
        return true;
    }

    /**
     * {@code acc[j] += sum over r of g[r, j]} for a dense {@code [rows, cols]} matrix: a linear layer's
     * bias gradient. Column sums in double, rows in ascending order.
     */
    public static boolean addColumnSums(INDArray g, INDArray acc, int rows, int cols) {
        DataType t = g.dataType();
        if (!HostArrays.dense(t, g, acc) || (long) rows * cols != g.length() || acc.length() != cols) {
            return false;
        }
        int g0 = HostArrays.start(g);
        int a0 = HostArrays.start(acc);
        int block = Math.max(1, CHUNK / cols);
        double[] sums = new double[cols];
        if (t == DataType.FLOAT) {
            FloatBuffer gb = HostArrays.floats(g);
            float[] b = ChannelKernels.floatRow(0, block * cols);
            for (int r = 0; r < rows; r += block) {
                int len = Math.min(block, rows - r) * cols;
                gb.get(g0 + r * cols, b, 0, len);
                for (int p = 0; p < len; p += cols) {
                    for (int j = 0; j < cols; j++) {
                        sums[j] += b[p + j];
                    }
                }
            }
            FloatBuffer ab = HostArrays.floats(acc);
            for (int j = 0; j < cols; j++) {
                ab.put(a0 + j, (float) (ab.get(a0 + j) + sums[j]));
            }
        } else {
            DoubleBuffer gb = HostArrays.doubles(g);
            double[] b = ChannelKernels.doubleRow(0, block * cols);
            for (int r = 0; r < rows; r += block) {
                int len = Math.min(block, rows - r) * cols;
                gb.get(g0 + r * cols, b, 0, len);
                for (int p = 0; p < len; p += cols) {
                    for (int j = 0; j < cols; j++) {
                        sums[j] += b[p + j];
                    }
                }
            }
            DoubleBuffer ab = HostArrays.doubles(acc);
            for (int j = 0; j < cols; j++) {
                ab.put(a0 + j, ab.get(a0 + j) + sums[j]);
            }
        }
        return true;
    }

    /**
     * ReLU's backward, {@code gradIn = gradOut * [out > 0]}: {@link #reluBackward} on dense host arrays,
     * else libnd4j's {@code relu_bp}.
     *
     * @param out the ReLU's output (positive exactly where its input was)
     * @param gradOut dLoss/dOutput
     * @param gradIn written with dLoss/dInput
     */
    public static void reluGradient(INDArray out, INDArray gradOut, INDArray gradIn) {
        if (!reluBackward(out, gradOut, gradIn)) {
            reluBackwardNd4j(out, gradOut, gradIn);
        }
    }

    /** dx = dy * (x > 0) through libnd4j's {@code relu_bp} into a preallocated output. */
    static void reluBackwardNd4j(INDArray input, INDArray gradOut, INDArray gradIn) {
        Nd4j.exec(DynamicCustomOp.builder("relu_bp")
                .addInputs(input, gradOut)
                .addOutputs(gradIn)
                .addFloatingPointArguments(0.0)
                .build());
    }
}
