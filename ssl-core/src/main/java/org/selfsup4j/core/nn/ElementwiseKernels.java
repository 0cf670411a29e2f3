package org.selfsup4j.core.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.internal.HostArrays;

/**
 * ReLU forward and backward, the residual add fused with ReLU, and global average pooling, as
 * Java passes over dense host arrays (CPU backend, float32/float64). Each method returns false
 * when its operands are not dense host arrays of one type; the caller then uses libnd4j.
 *
 * <p>Why: libnd4j's {@code relu_bp} and its column broadcast (pooling's backward) ran 5-10x slower
 * than memory speed on 2 vCPUs, and every op call costs microseconds, which dominates the small
 * activations of a small encoder. The element-wise passes split over two threads past
 * {@link HostArrays#PARALLEL_THRESHOLD} elements (a fixed split: results do not depend on load);
 * the pooling sums run per row in one thread, in double, in a fixed order.
 *
 * <p>NaN: the forward keeps NaN ({@code max(NaN, 0)} is NaN), so the trainer's guard still sees it.
 */
final class ElementwiseKernels {
    private static final int CHUNK = HostArrays.CHUNK;

    private ElementwiseKernels() {
    }

    /** {@code out = max(in, 0)}. */
    static boolean relu(INDArray in, INDArray out) {
        DataType t = in.dataType();
        if (!HostArrays.dense(t, in, out) || in.length() != out.length()) {
            return false;
        }
        int n = (int) in.length();
        int i0 = HostArrays.start(in);
        int o0 = HostArrays.start(out);
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(in);
            FloatBuffer y = HostArrays.floats(out);
            HostArrays.forRange(n, (from, to) -> {
                float[] b = HostArrays.floatChunks()[0];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    x.get(i0 + off, b, 0, len);
                    for (int i = 0; i < len; i++) {
                        b[i] = Math.max(b[i], 0f);
                    }
                    y.put(o0 + off, b, 0, len);
                }
            });
        } else {
            DoubleBuffer x = HostArrays.doubles(in);
            DoubleBuffer y = HostArrays.doubles(out);
            HostArrays.forRange(n, (from, to) -> {
                double[] b = HostArrays.doubleChunks()[0];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    x.get(i0 + off, b, 0, len);
                    for (int i = 0; i < len; i++) {
                        b[i] = Math.max(b[i], 0.0);
                    }
                    y.put(o0 + off, b, 0, len);
                }
            });
        }
        return true;
    }

    /** {@code out = max(a + b, 0)}: the residual sum and its ReLU in one pass. */
    static boolean addRelu(INDArray a, INDArray b, INDArray out) {
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
     * {@code gradIn = out > 0 ? gradOut : 0}, with {@code out} the ReLU's output (positive exactly
     * where its input was). Works on the raw bits: a mask of all ones where {@code out}'s bits are a
     * positive integer (positive numbers; 0 and -0 give 0), AND the gradient's bits: integer loops the
     * JIT vectorizes, where a float select would not be.
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
            IntBuffer y = HostArrays.floatBits(out);
            IntBuffer g = HostArrays.floatBits(gradOut);
            IntBuffer d = HostArrays.floatBits(gradIn);
            HostArrays.forRange(n, (from, to) -> {
                int[][] c = HostArrays.intChunks();
                int[] by = c[0];
                int[] bg = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    y.get(y0 + off, by, 0, len);
                    g.get(g0 + off, bg, 0, len);
                    for (int i = 0; i < len; i++) {
                        int b = by[i];
                        // sign bit of (-b & ~b) is set exactly when b > 0 (b = MIN_VALUE, i.e. -0f, excluded)
                        bg[i] &= (-b & ~b) >> 31;
                    }
                    d.put(d0 + off, bg, 0, len);
                }
            });
        } else {
            LongBuffer y = HostArrays.doubleBits(out);
            LongBuffer g = HostArrays.doubleBits(gradOut);
            LongBuffer d = HostArrays.doubleBits(gradIn);
            HostArrays.forRange(n, (from, to) -> {
                long[][] c = HostArrays.longChunks();
                long[] by = c[0];
                long[] bg = c[1];
                for (int off = from; off < to; off += CHUNK) {
                    int len = Math.min(CHUNK, to - off);
                    y.get(y0 + off, by, 0, len);
                    g.get(g0 + off, bg, 0, len);
                    for (int i = 0; i < len; i++) {
                        long b = by[i];
                        bg[i] &= (-b & ~b) >> 63;
                    }
                    d.put(d0 + off, bg, 0, len);
                }
            });
        }
        return true;
    }

    /** {@code out[r] = mean of in[r, 0..s)} over {@code rows} rows of {@code s} elements; sums in double. */
    static boolean rowMeans(INDArray in, INDArray out, int rows, int s) {
        DataType t = in.dataType();
        if (!HostArrays.dense(t, in, out) || (long) rows * s != in.length() || out.length() != rows) {
            return false;
        }
        int i0 = HostArrays.start(in);
        int o0 = HostArrays.start(out);
        double inv = 1.0 / s;
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(in);
            FloatBuffer y = HostArrays.floats(out);
            float[] b = ChannelKernels.floatRow(0, s);
            for (int r = 0; r < rows; r++) {
                x.get(i0 + r * s, b, 0, s);
                double acc = 0;
                for (int k = 0; k < s; k++) {
                    acc += b[k];
                }
                y.put(o0 + r, (float) (acc * inv));
            }
        } else {
            DoubleBuffer x = HostArrays.doubles(in);
            DoubleBuffer y = HostArrays.doubles(out);
            double[] b = ChannelKernels.doubleRow(0, s);
            for (int r = 0; r < rows; r++) {
                x.get(i0 + r * s, b, 0, s);
                double acc = 0;
                for (int k = 0; k < s; k++) {
                    acc += b[k];
                }
                y.put(o0 + r, acc * inv);
            }
        }
        return true;
    }

    /** {@code out[r, k] = g[r] / s}: the gradient of {@link #rowMeans}. */
    static boolean spreadRows(INDArray g, INDArray out, int rows, int s) {
        DataType t = g.dataType();
        if (!HostArrays.dense(t, g, out) || (long) rows * s != out.length() || g.length() != rows) {
            return false;
        }
        int g0 = HostArrays.start(g);
        int o0 = HostArrays.start(out);
        double inv = 1.0 / s;
        if (t == DataType.FLOAT) {
            FloatBuffer x = HostArrays.floats(g);
            FloatBuffer y = HostArrays.floats(out);
            float[] b = ChannelKernels.floatRow(0, s);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(b, 0, s, (float) (x.get(g0 + r) * inv));
                y.put(o0 + r * s, b, 0, s);
            }
        } else {
            DoubleBuffer x = HostArrays.doubles(g);
            DoubleBuffer y = HostArrays.doubles(out);
            double[] b = ChannelKernels.doubleRow(0, s);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(b, 0, s, x.get(g0 + r) * inv);
                y.put(o0 + r * s, b, 0, s);
            }
        }
        return true;
    }
}
