package org.selfsup4j.speech.methods;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the speech objectives share: one view of waveforms in, one reused gradient buffer out. */
final class ObjectiveSupport {
    private ObjectiveSupport() {
    }

    /**
     * @param where the calling method, for the message
     * @param views the trainer's inputs or embeddings
     * @return the only element
     * @throws IllegalArgumentException unless there is exactly one (the speech methods train on one view)
     */
    static INDArray singleView(String where, List<INDArray> views) {
        if (views.size() != 1) {
            throw new IllegalArgumentException(where + ": expected one view (the waveforms), got " + views.size());
        }
        return views.get(0);
    }

    /**
     * The gradient buffer of the last step when it still fits {@code like} (same shape and type), else a
     * new one: the feature gradient is written in place every step instead of allocated off-heap anew.
     */
    static INDArray reuseLike(INDArray cached, INDArray like) {
        if (cached == null || !Arrays.equals(cached.shape(), like.shape()) || cached.dataType() != like.dataType()) {
            return like.ulike();
        }
        return cached;
    }
}
