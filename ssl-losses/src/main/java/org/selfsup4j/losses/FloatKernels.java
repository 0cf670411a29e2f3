package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Float32 fast paths of the losses: the in-place exponential of a matrix with its row sums (the hot
 * step of the softmax-based losses) and BYOL's fused kernel.
 *
 * <p>ND4J 1.0.0-M2.1's element-wise {@code exp} is scalar code (about 7x slower than a vectorized
 * one on the AVX-512 machines measured in {@code benchmarks/LOSSES.md}). When the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, dense float32 matrices go through {@link VectorKernels}
 * (core's {@code FloatExpVector}: within 2 ulps, and the same bits before and after JIT compilation); otherwise, and for float64, ND4J's {@code exp}. The
 * system property {@code selfsup4j.vectorExp=false} forces the ND4J path.
 */
final class FloatKernels {
    /** Whether float32 exponentials use the Vector API. */
    static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("selfsup4j.vectorExp"));

    private FloatKernels() {
    }

    /**
     * {@code x <- exp(x)} in place and {@code rowSums[r] = sum_c x[r, c]} (after the exponential).
     *
     * @param x [R, C], any layout (the fast path needs dense row-major float32)
     * @param rowSums [R, 1] of x's data type, overwritten
     */
    static void expRowSums(INDArray x, INDArray rowSums) {
        if (VECTORIZED && vectorizable(x) && vectorizable(rowSums)) {
            VectorKernels.expRowSums(x.data().asNio(), 4L * x.offset(), (int) x.size(0), (int) x.size(1),
                    rowSums.data().asNio(), 4L * rowSums.offset());
            return;
        }
        Transforms.exp(x, false);
        rowSums.assign(x.sum(true, 1));
    }

    /**
     * BYOL's fused kernel on float32 rows when the Vector API is on and all four arrays are dense
     * row-major: writes {@code dL/dp}, {@code dL/dz} and returns {@code sum_i cos(p_i, z_i)};
     * returns NaN without touching anything otherwise (the caller then takes the ND4J path).
     */
    static double byol(INDArray p, INDArray z, INDArray dp, INDArray dz, double eps) {
        if (!(VECTORIZED && vectorizable(p) && vectorizable(z) && vectorizable(dp) && vectorizable(dz))) {
            return Double.NaN;
        }
        return VectorKernels.byol(p.data().asNio(), 4L * p.offset(), z.data().asNio(), 4L * z.offset(),
                (int) p.size(0), (int) p.size(1), dp.data().asNio(), 4L * dp.offset(), dz.data().asNio(),
                4L * dz.offset(), eps);
    }

    /**
     * {@code dst_r = src_r / max(||src_r||, eps)} with the clamped norms and the 0/1 activity flags
     * written to {@code clamped} and {@code active} ([R, 1]); false, touching nothing, when the
     * fast path does not apply.
     */
    static boolean normalizeRows(INDArray src, INDArray dst, INDArray clamped, INDArray active, double eps) {
        if (!(VECTORIZED && vectorizable(src) && vectorizable(dst) && vectorizable(clamped) && vectorizable(active))) {
            return false;
        }
        VectorKernels.normalizeRows(src.data().asNio(), 4L * src.offset(), dst.data().asNio(), 4L * dst.offset(),
                (int) src.size(0), (int) src.size(1), clamped.data().asNio(), 4L * clamped.offset(),
                active.data().asNio(), 4L * active.offset(), eps);
        return true;
    }

    /** The backward pass of {@link #normalizeRows} in place on {@code g}; false when it does not apply. */
    static boolean normalizeRowsBackward(INDArray u, INDArray g, INDArray clamped, INDArray active) {
        if (!(VECTORIZED && vectorizable(u) && vectorizable(g) && vectorizable(clamped) && vectorizable(active))) {
            return false;
        }
        VectorKernels.normalizeRowsBackward(u.data().asNio(), 4L * u.offset(), g.data().asNio(), 4L * g.offset(),
                (int) u.size(0), (int) u.size(1), clamped.data().asNio(), 4L * clamped.offset(),
                active.data().asNio(), 4L * active.offset());
        return true;
    }

    /** NT-Xent's {@code w = [u | diag(1/r) u]}; false, touching nothing, when the fast path does not apply. */
    static boolean ntXentOperand(INDArray u, INDArray w, INDArray rowSums) {
        if (!(VECTORIZED && vectorizable(u) && vectorizable(w) && vectorizable(rowSums))) {
            return false;
        }
        VectorKernels.ntXentOperand(u.data().asNio(), 4L * u.offset(), w.data().asNio(), 4L * w.offset(),
                rowSums.data().asNio(), 4L * rowSums.offset(), (int) u.size(0), (int) u.size(1));
        return true;
    }

    /**
     * NT-Xent's {@code du = x[:, :D] / r + x[:, D:] - twoAlpha u[partner]}; false, touching nothing,
     * when the fast path does not apply.
     */
    static boolean ntXentCombine(INDArray x, INDArray rowSums, INDArray u, INDArray du, double twoAlpha) {
        if (!(VECTORIZED && vectorizable(x) && vectorizable(rowSums) && vectorizable(u) && vectorizable(du))) {
            return false;
        }
        VectorKernels.ntXentCombine(x.data().asNio(), 4L * x.offset(), rowSums.data().asNio(),
                4L * rowSums.offset(), u.data().asNio(), 4L * u.offset(), du.data().asNio(), 4L * du.offset(),
                (int) u.size(0), (int) u.size(1), (float) twoAlpha);
        return true;
    }

    private static boolean vectorizable(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.rank() == 2 && a.ordering() == 'c'
                && a.stride(1) == 1 && a.stride(0) == a.size(1)
                && 4L * (a.offset() + a.length()) <= Integer.MAX_VALUE;
    }
}
