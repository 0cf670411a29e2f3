package org.selfsup4j.core.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Buffer reuse and layout helpers of the layers and kernels, on any ND4J backend: hot paths keep
 * their output and gradient arrays between calls, because fresh off-heap memory is slow
 * (STACK-NOTES: ~12 µs per 4 KiB page, freed only when the GC runs).
 */
public final class NdArrays {
    private NdArrays() {
    }

    /**
     * @param cached the array of the previous call, or null
     * @param dtype the data type wanted
     * @param shape the shape wanted
     * @return {@code cached} if it has this type and shape, else a new zeroed array
     */
    public static INDArray reuse(INDArray cached, DataType dtype, long... shape) {
        if (cached != null && cached.dataType() == dtype && Arrays.equals(cached.shape(), shape)) {
            return cached;
        }
        return Nd4j.create(dtype, shape);
    }

    /**
     * @param a an array
     * @param shape the shape wanted (same length)
     * @return a c-order contiguous view of {@code a} with that shape, a copy only if {@code a} is strided
     */
    public static INDArray view(INDArray a, long... shape) {
        INDArray src = isContiguousC(a) ? a : a.dup('c');
        return src.reshape('c', shape);
    }

    /**
     * @param a an array
     * @return whether {@code a} is c-ordered and dense (axes of size 1 may have any stride)
     */
    static boolean isContiguousC(INDArray a) {
        return a.ordering() == 'c' && HostArrays.denseC(a);
    }
}
