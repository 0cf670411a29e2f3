package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * In-place exponential of a matrix with its row sums, the hot step of the softmax-based losses.
 *
 * <p>ND4J 1.0.0-M2.1's element-wise {@code exp} is scalar code (about 7x slower than a vectorized
 * one on the AVX-512 machines measured in {@code benchmarks/LOSSES.md}). When the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, dense float32 matrices go through {@link VectorExp}
 * (the JDK's SVML {@code exp}, within 1 ulp); otherwise, and for float64, ND4J's {@code exp}. The
 * system property {@code selfsup4j.vectorExp=false} forces the ND4J path.
 */
final class ExpKernel {
    /** Whether float32 exponentials use the Vector API. */
    static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("selfsup4j.vectorExp"));

    private ExpKernel() {
    }

    /**
     * {@code x <- exp(x)} in place and {@code rowSums[r] = sum_c x[r, c]} (after the exponential).
     *
     * @param x [R, C], any layout (the fast path needs dense row-major float32)
     * @param rowSums [R, 1] of x's data type, overwritten
     */
    static void expRowSums(INDArray x, INDArray rowSums) {
        if (VECTORIZED && vectorizable(x) && vectorizable(rowSums)) {
            VectorExp.expRowSums(x.data().asNio(), 4L * x.offset(), (int) x.size(0), (int) x.size(1),
                    rowSums.data().asNio(), 4L * rowSums.offset());
            return;
        }
        Transforms.exp(x, false);
        rowSums.assign(x.sum(true, 1));
    }

    private static boolean vectorizable(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.rank() == 2 && a.ordering() == 'c'
                && a.stride(1) == 1 && a.stride(0) == a.size(1)
                && 4L * (a.offset() + a.length()) <= Integer.MAX_VALUE;
    }
}
