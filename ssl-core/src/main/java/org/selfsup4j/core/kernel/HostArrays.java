package org.selfsup4j.core.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Host-memory access for fused Java loops over ND4J arrays: NIO views of dense arrays on the CPU
 * backend, per-thread heap chunks, and the fixed split of long element-wise loops.
 *
 * <p>Why: every libnd4j op call costs microseconds of fixed overhead (shape checks, op lookup, thread
 * hand-off), which dominates small arrays; several of libnd4j's element-wise ops are scalar code
 * ({@code sqrt}, {@code relu_bp}) and its broadcasts along an axis are 40-70x slower than a plain
 * element-wise op. A Java pass through chunked bulk copies into heap arrays (loops the JIT
 * vectorizes) runs at memory speed and can fuse several of those ops into one pass.
 *
 * <p>Indexing: the views index the whole underlying buffer, so an array's first element is at index
 * {@code a.offset()}.
 * <p>Deliberate twins (issue #12): {@link #allFinite}, {@link #zero} and {@link #maxAbs} have a
 * float32 and a float64 branch each (int/long bit views, float/double chunks): Java has no loop over
 * "a float or a double array", and a shared body would take the element through a call or a widening
 * copy in the innermost loop, the trade-off {@link ElementwiseKernels} measured about 20% slower.
 */
public final class HostArrays {
    /** Below this many elements one thread does it all (a fork costs more than it saves). */
    static final int PARALLEL_THRESHOLD = 1 << 20;
    /** Elements per heap chunk: four chunks of floats or doubles fit in L1/L2. */
    public static final int CHUNK = 2048;
    private static final boolean CPU = isCpu();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ThreadLocal<float[][]> FLOAT_CHUNKS = ThreadLocal.withInitial(() -> new float[4][CHUNK]);
    private static final ThreadLocal<double[][]> DOUBLE_CHUNKS = ThreadLocal.withInitial(() -> new double[4][CHUNK]);
    private static final ThreadLocal<int[][]> INT_CHUNKS = ThreadLocal.withInitial(() -> new int[2][CHUNK]);
    private static final ThreadLocal<long[][]> LONG_CHUNKS = ThreadLocal.withInitial(() -> new long[2][CHUNK]);

    private HostArrays() {
    }

    /** Whether the backend keeps arrays in host memory (the CPU backend), so that the fast paths apply. */
    static boolean cpu() {
        return CPU;
    }

    private static boolean isCpu() {
        try {
            return Nd4j.getEnvironment().isCPU();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * True when every array is a dense row-major array of {@code type} (FLOAT or DOUBLE) in host
     * memory (CPU backend) whose elements lie within the first 2^31 of its buffer.
     */
    public static boolean dense(DataType type, INDArray... arrays) {
        if (!CPU || (type != DataType.FLOAT && type != DataType.DOUBLE)) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a == null || a.dataType() != type || !denseC(a) || a.offset() + a.length() > Integer.MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code a} is dense in row-major order (axes of size 1 may have any stride). */
    static boolean denseC(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static ByteBuffer bytes(INDArray a) {
        ByteBuffer b = a.data().asNio().duplicate();
        b.clear();
        return b.order(ORDER);
    }

    /** The float view of a {@link #dense} float32 array's buffer. */
    public static FloatBuffer floats(INDArray a) {
        return bytes(a).asFloatBuffer();
    }

    /** The double view of a {@link #dense} float64 array's buffer. */
    public static DoubleBuffer doubles(INDArray a) {
        return bytes(a).asDoubleBuffer();
    }

    /** The raw bits of a {@link #dense} float32 array's buffer. */
    static IntBuffer floatBits(INDArray a) {
        return bytes(a).asIntBuffer();
    }

    /** The raw bits of a {@link #dense} float64 array's buffer. */
    static LongBuffer doubleBits(INDArray a) {
        return bytes(a).asLongBuffer();
    }

    /** The first element's index in the views above. */
    public static int start(INDArray a) {
        return (int) a.offset();
    }

    /** Four heap chunks of {@link #CHUNK} floats owned by this thread. */
    public static float[][] floatChunks() {
        return FLOAT_CHUNKS.get();
    }

    /** Four heap chunks of {@link #CHUNK} doubles owned by this thread. */
    public static double[][] doubleChunks() {
        return DOUBLE_CHUNKS.get();
    }

    /** Two heap chunks of {@link #CHUNK} ints owned by this thread. */
    static int[][] intChunks() {
        return INT_CHUNKS.get();
    }

    /** Two heap chunks of {@link #CHUNK} longs owned by this thread. */
    static long[][] longChunks() {
        return LONG_CHUNKS.get();
    }

    /** A task over the elements {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /**
         * @param from the first element
         * @param to one past the last
         */
        void run(int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, n)}: in one call below {@link #PARALLEL_THRESHOLD}, else in
     * {@link Parallel#CHUNKS} fixed parts split at {@link #CHUNK}-aligned points, through {@link Parallel}.
     * Only for element-wise work, whose result does not depend on which thread ran which part.
     */
    public static void forRange(int n, Range task) {
        forRange(n, PARALLEL_THRESHOLD, task);
    }

    /**
     * As {@link #forRange(int, Range)} with the caller's threshold: compute-bound passes (many flops
     * per element) pay for a fork at far fewer elements than memory-bound ones. The split does not
     * depend on the threshold either, only on {@code n}.
     *
     * @param parallelFrom the element count from which the parts run on several threads
     */
    public static void forRange(int n, int parallelFrom, Range task) {
        if (n < parallelFrom || Parallel.threads() < 2) {
            task.run(0, n);
            return;
        }
        int blocks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEachChunk(blocks, Parallel.CHUNKS, true,
                (part, b0, b1) -> task.run(b0 * CHUNK, (int) Math.min(n, (long) b1 * CHUNK)));
    }

    /**
     * True when no element of a {@link #dense} float32 or float64 array is NaN or infinite: one pass
     * over the raw bits (an exponent of all ones marks both).
     */
    public static boolean allFinite(INDArray a) {
        int n = Math.toIntExact(a.length());
        int a0 = start(a);
        if (a.dataType() == DataType.FLOAT) {
            IntBuffer bits = floatBits(a);
            int[] chunk = intChunks()[0];
            for (int off = 0; off < n; off += CHUNK) {
                int len = Math.min(CHUNK, n - off);
                bits.get(a0 + off, chunk, 0, len);
                // |bits| + 2^23 reaches the sign bit exactly when the exponent is all ones (NaN, inf);
                // an OR reduction the JIT vectorizes, where a max reduction ran 3.5x slower
                int any = 0;
                for (int i = 0; i < len; i++) {
                    any |= (chunk[i] & 0x7fffffff) + 0x00800000;
                }
                if (any < 0) {
                    return false;
                }
            }
        } else {
            LongBuffer bits = doubleBits(a);
            long[] chunk = longChunks()[0];
            for (int off = 0; off < n; off += CHUNK) {
                int len = Math.min(CHUNK, n - off);
                bits.get(a0 + off, chunk, 0, len);
                long any = 0;
                for (int i = 0; i < len; i++) {
                    any |= (chunk[i] & 0x7fffffffffffffffL) + 0x0010000000000000L;
                }
                if (any < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True when no element of a floating-point array is NaN or infinite, whatever its layout: {@link #dense}
     * arrays through {@link #allFinite}, others through a libnd4j sum (NaN or infinite as soon as one
     * entry is), looked at closer only when that sum is not finite, since finite entries can overflow it.
     * Arrays of other types are finite.
     */
    public static boolean isFinite(INDArray a) {
        if (!a.dataType().isFPType()) {
            return true;
        }
        if (dense(a.dataType(), a)) {
            return allFinite(a);
        }
        return Double.isFinite(a.sumNumber().doubleValue()) || !(a.isNaN().any() || a.isInfinite().any());
    }

    /** Sets every element of a {@link #dense} array to zero. */
    public static void zero(INDArray a) {
        int n = Math.toIntExact(a.length());
        int a0 = start(a);
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = floats(a);
            float[] z = floatChunks()[0];
            java.util.Arrays.fill(z, 0f);
            for (int off = 0; off < n; off += CHUNK) {
                b.put(a0 + off, z, 0, Math.min(CHUNK, n - off));
            }
        } else {
            DoubleBuffer b = doubles(a);
            double[] z = doubleChunks()[0];
            java.util.Arrays.fill(z, 0.0);
            for (int off = 0; off < n; off += CHUNK) {
                b.put(a0 + off, z, 0, Math.min(CHUNK, n - off));
            }
        }
    }

    /**
     * Copies every element of {@code src} into {@code dst} (same data type and shape), bit for bit.
     * Dense host arrays: one bulk memory copy with no libnd4j op call (the trainer's NaN guard backs up
     * hundreds of small arrays every step, where an op's fixed cost would dominate); otherwise
     * {@code dst.assign(src)}.
     */
    public static void copy(INDArray src, INDArray dst) {
        if (CPU && src.dataType() == dst.dataType() && src.length() == dst.length() && denseC(src) && denseC(dst)
                && java.util.Arrays.equals(src.shape(), dst.shape())) {
            int width = src.dataType().width();
            long from = src.offset() * width;
            long to = dst.offset() * width;
            long bytes = src.length() * width;
            if (from + bytes <= Integer.MAX_VALUE && to + bytes <= Integer.MAX_VALUE) {
                ByteBuffer s = bytes(src);
                s.limit((int) (from + bytes)).position((int) from);
                ByteBuffer d = bytes(dst);
                d.position((int) to);
                d.put(s);
                return;
            }
        }
        dst.assign(src);
    }

    /**
     * The largest magnitude of any element, NaN when an element is NaN. Dense float32/float64 host
     * arrays: one Java pass; otherwise ND4J's {@code amax}.
     */
    public static double maxAbs(INDArray a) {
        if (!dense(a.dataType(), a)) {
            return a.isNaN().any() ? Double.NaN : a.amaxNumber().doubleValue();
        }
        int n = Math.toIntExact(a.length());
        int a0 = start(a);
        double max = 0;
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = floats(a);
            float[] chunk = floatChunks()[0];
            for (int off = 0; off < n; off += CHUNK) {
                int len = Math.min(CHUNK, n - off);
                b.get(a0 + off, chunk, 0, len);
                for (int i = 0; i < len; i++) {
                    // Math.max propagates NaN, so a NaN entry makes the result NaN
                    max = Math.max(max, Math.abs(chunk[i]));
                }
            }
        } else {
            DoubleBuffer b = doubles(a);
            double[] chunk = doubleChunks()[0];
            for (int off = 0; off < n; off += CHUNK) {
                int len = Math.min(CHUNK, n - off);
                b.get(a0 + off, chunk, 0, len);
                for (int i = 0; i < len; i++) {
                    max = Math.max(max, Math.abs(chunk[i]));
                }
            }
        }
        return max;
    }
}
