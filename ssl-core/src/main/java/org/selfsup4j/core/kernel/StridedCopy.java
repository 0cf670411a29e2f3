package org.selfsup4j.core.kernel;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies and accumulates between strided views of host memory with Java loops over NIO views of
 * the arrays' buffers: contiguous runs go through bulk {@code put} (a memcpy), the rest element by
 * element.
 *
 * <p>Why: libnd4j's {@code assign} and {@code addi} between permuted or strided rank-4..6 views (the
 * im2col taps, col2im scatter and layout changes of {@link ConvCore}) compute every element's offset
 * from its shape and strides; measured on 2 vCPUs they run at 0.1-0.3 GB/s, and dominated a small
 * convolution's step. Dimensions are first merged where both views are contiguous across them, so
 * the inner loop usually covers a whole row.
 *
 * <p>Only for the CPU backend, float32/float64 and same-type operands: otherwise (and for
 * buffers past 2^31 elements) the methods fall back to {@code assign}/{@code addi}, so CUDA keeps
 * libnd4j's device kernels.
 * <p>Deliberate twins (issue #12): {@code loopFloat} and {@code loopDouble} are one strided loop
 * for {@code FloatBuffer} and {@code DoubleBuffer}, which share no element-access type; the reason
 * they are not merged is the one given in {@link ElementwiseKernels}.
 */
public final class StridedCopy {
    private static final boolean CPU = HostArrays.cpu();
    private static final int MAX_RANK = 8;

    private StridedCopy() {
    }

    /** Whether the host-memory fast paths apply (CPU backend). */
    public static boolean cpu() {
        return CPU;
    }

    /**
     * The NIO view of a contiguous c-order array's host buffer, whose element {@code a.offset()} is
     * the array's first; null where the fast paths do not apply (not CPU, not float32, strided, past 2^31).
     */
    public static FloatBuffer floats(INDArray a) {
        if (!CPU || a.dataType() != DataType.FLOAT || !NdArrays.isContiguousC(a)) {
            return null;
        }
        FloatBuffer b = a.data().asNioFloat();
        return b.position() == a.offset() && a.offset() + a.length() <= b.capacity() ? b : null;
    }

    /** As {@link #floats} for float64 arrays. */
    public static DoubleBuffer doubles(INDArray a) {
        if (!CPU || a.dataType() != DataType.DOUBLE || !NdArrays.isContiguousC(a)) {
            return null;
        }
        DoubleBuffer b = a.data().asNioDouble();
        return b.position() == a.offset() && a.offset() + a.length() <= b.capacity() ? b : null;
    }

    /** {@code dst = src} for arrays of the same shape. */
    static void assign(INDArray dst, INDArray src) {
        if (!run(dst, src, false)) {
            dst.assign(src);
        }
    }

    /** {@code dst += src} for arrays of the same shape. */
    static void addInto(INDArray dst, INDArray src) {
        if (!run(dst, src, true)) {
            dst.addi(src);
        }
    }

    private static boolean run(INDArray dst, INDArray src, boolean add) {
        DataType t = dst.dataType();
        if (!CPU || t != src.dataType() || (t != DataType.FLOAT && t != DataType.DOUBLE)
                || dst.rank() > MAX_RANK || !java.util.Arrays.equals(dst.shape(), src.shape())
                || dst.length() == 0) {
            return false;
        }
        long[] shape = dst.shape();
        long[] ds = dst.stride();
        long[] ss = src.stride();
        // merged dims, innermost last
        int[] n = new int[MAX_RANK];
        long[] a = new long[MAX_RANK];
        long[] b = new long[MAX_RANK];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            if (r > 0 && a[r - 1] == ds[i] * shape[i] && b[r - 1] == ss[i] * shape[i]) {
                n[r - 1] = Math.toIntExact(n[r - 1] * shape[i]);
                a[r - 1] = ds[i];
                b[r - 1] = ss[i];
            } else {
                if (shape[i] > Integer.MAX_VALUE) {
                    return false;
                }
                n[r] = (int) shape[i];
                a[r] = ds[i];
                b[r] = ss[i];
                r++;
            }
        }
        if (r == 0) {
            n[0] = 1;
            a[0] = 1;
            b[0] = 1;
            r = 1;
        }
        if (t == DataType.FLOAT) {
            FloatBuffer d = dst.data().asNioFloat();
            FloatBuffer s = src.data().asNioFloat();
            if (!fits(d, dst, n, a, r) || !fits(s, src, n, b, r)) {
                return false;
            }
            loopFloat(d, (int) dst.offset(), s, (int) src.offset(), n, a, b, r, add);
        } else {
            DoubleBuffer d = dst.data().asNioDouble();
            DoubleBuffer s = src.data().asNioDouble();
            if (!fits(d, dst, n, a, r) || !fits(s, src, n, b, r)) {
                return false;
            }
            loopDouble(d, (int) dst.offset(), s, (int) src.offset(), n, a, b, r, add);
        }
        return true;
    }

    private static boolean fits(java.nio.Buffer buf, INDArray arr, int[] n, long[] st, int r) {
        long last = arr.offset();
        for (int i = 0; i < r; i++) {
            if (st[i] < 0) {
                return false;
            }
            last += (n[i] - 1L) * st[i];
        }
        return arr.offset() == buf.position() && last < buf.capacity() && last < Integer.MAX_VALUE;
    }

    private static void loopFloat(FloatBuffer d, int d0, FloatBuffer s, int s0, int[] n, long[] a, long[] b, int r,
            boolean add) {
        int inner = n[r - 1];
        int ia = (int) a[r - 1];
        int ib = (int) b[r - 1];
        int[] idx = new int[r];
        int outer = 1;
        for (int i = 0; i < r - 1; i++) {
            outer *= n[i];
        }
        int dOff = d0;
        int sOff = s0;
        for (int o = 0; o < outer; o++) {
            if (add) {
                for (int k = 0, p = dOff, q = sOff; k < inner; k++, p += ia, q += ib) {
                    d.put(p, d.get(p) + s.get(q));
                }
            } else if (ia == 1 && ib == 1) {
                d.put(dOff, s, sOff, inner);
            } else {
                for (int k = 0, p = dOff, q = sOff; k < inner; k++, p += ia, q += ib) {
                    d.put(p, s.get(q));
                }
            }
            // odometer over the outer dims
            for (int i = r - 2; i >= 0; i--) {
                dOff += (int) a[i];
                sOff += (int) b[i];
                if (++idx[i] < n[i]) {
                    break;
                }
                idx[i] = 0;
                dOff -= (int) (a[i] * n[i]);
                sOff -= (int) (b[i] * n[i]);
            }
        }
    }

    private static void loopDouble(DoubleBuffer d, int d0, DoubleBuffer s, int s0, int[] n, long[] a, long[] b, int r,
            boolean add) {
        int inner = n[r - 1];
        int ia = (int) a[r - 1];
        int ib = (int) b[r - 1];
        int[] idx = new int[r];
        int outer = 1;
        for (int i = 0; i < r - 1; i++) {
            outer *= n[i];
        }
        int dOff = d0;
        int sOff = s0;
        for (int o = 0; o < outer; o++) {
            if (add) {
                for (int k = 0, p = dOff, q = sOff; k < inner; k++, p += ia, q += ib) {
                    d.put(p, d.get(p) + s.get(q));
                }
            } else if (ia == 1 && ib == 1) {
                d.put(dOff, s, sOff, inner);
            } else {
                for (int k = 0, p = dOff, q = sOff; k < inner; k++, p += ia, q += ib) {
                    d.put(p, s.get(q));
                }
            }
            for (int i = r - 2; i >= 0; i--) {
                dOff += (int) a[i];
                sOff += (int) b[i];
                if (++idx[i] < n[i]) {
                    break;
                }
                idx[i] = 0;
                dOff -= (int) (a[i] * n[i]);
                sOff -= (int) (b[i] * n[i]);
            }
        }
    }
}
