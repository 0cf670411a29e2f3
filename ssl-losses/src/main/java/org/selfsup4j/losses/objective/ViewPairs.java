package org.selfsup4j.losses.objective;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;

/** Two-view bookkeeping shared by the objectives: validation and a reused concatenation buffer. */
final class ViewPairs {
    private INDArray buffer;

    static void requireTwo(String who, List<INDArray> views) {
        if (views.size() != 2) {
            // an explicit branch, not Checks.argument: this runs every step, so the message is built only on failure
            throw new IllegalArgumentException(who + ": expected 2 views, got " + views.size());
        }
        Checks.sameShape(who, "view 0", views.get(0), "view 1", views.get(1));
    }

    /** {@code [a; b]} along the batch axis, in a buffer reused while shapes stay the same. */
    INDArray concat(INDArray a, INDArray b) {
        long n = a.size(0);
        long[] shape = a.shape().clone();
        shape[0] = 2 * n;
        if (buffer == null || !Arrays.equals(buffer.shape(), shape) || buffer.dataType() != a.dataType()) {
            buffer = Nd4j.create(a.dataType(), shape);
        }
        buffer.get(NDArrayIndex.interval(0, n)).assign(a);
        buffer.get(NDArrayIndex.interval(n, 2 * n)).assign(b);
        return buffer;
    }

    static INDArray first(INDArray stacked) {
        return stacked.get(NDArrayIndex.interval(0, stacked.size(0) / 2));
    }

    static INDArray second(INDArray stacked) {
        return stacked.get(NDArrayIndex.interval(stacked.size(0) / 2, stacked.size(0)));
    }
}
