package org.selfsup4j.losses.objective;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-crop bookkeeping of DINO and SwAV: the first crops of a step stacked crop-major along the
 * batch axis (the layout {@code DinoLoss} and {@code SwavLoss} take), in a buffer reused while the
 * shapes stay the same, and the per-crop row blocks of a stacked array.
 */
final class CropStack {
    private INDArray buffer;

    /**
     * @param who the objective, for messages
     * @param arrays each {@code [B, ...]}, the same shape
     * @param count how many of them, from the first
     * @return {@code [a_0; ...; a_{count-1}]}, {@code [count B, ...]}
     * @throws IllegalArgumentException if the first {@code count} differ in shape or data type
     */
    INDArray stack(String who, List<INDArray> arrays, int count) {
        INDArray first = arrays.get(0);
        long b = first.size(0);
        for (int c = 1; c < count; c++) {
            INDArray a = arrays.get(c);
            if (!Arrays.equals(a.shape(), first.shape()) || a.dataType() != first.dataType()) {
                // an explicit branch: this runs every step, so the message is built only on failure
                throw new IllegalArgumentException(who + ": crop " + c + " must be " + Arrays.toString(first.shape())
                        + " " + first.dataType() + " like crop 0, got " + Arrays.toString(a.shape()) + " "
                        + a.dataType());
            }
        }
        long[] shape = first.shape().clone();
        shape[0] = b * count;
        if (buffer == null || !Arrays.equals(buffer.shape(), shape) || buffer.dataType() != first.dataType()) {
            buffer = Nd4j.create(first.dataType(), shape);
        }
        for (int c = 0; c < count; c++) {
            rows(buffer, c, b).assign(arrays.get(c));
        }
        return buffer;
    }

    /** Rows {@code [k b, (k + 1) b)} of {@code a}: crop k of a crop-major stack. */
    static INDArray rows(INDArray a, int k, long b) {
        return a.get(NDArrayIndex.interval(k * b, (k + 1) * b));
    }

    /** Every crop's block of {@code stacked}, {@code crops} blocks of {@code b} rows. */
    static List<INDArray> split(INDArray stacked, int crops, long b) {
        INDArray[] out = new INDArray[crops];
        for (int c = 0; c < crops; c++) {
            out[c] = rows(stacked, c, b);
        }
        return List.of(out);
    }
}
