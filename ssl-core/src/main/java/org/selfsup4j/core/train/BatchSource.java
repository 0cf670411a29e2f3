package org.selfsup4j.core.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Supplies the views of each training batch. A source must be deterministic: the batch of step
 * {@code s} depends only on the source's seed and {@code s}, so a resumed run sees the same data.
 */
public interface BatchSource {

    /**
     * @param step 0-based global step
     * @return the views of the batch, each {@code [N, ...]} with the same N; the trainer may not keep them
     */
    List<INDArray> views(long step);

    /** Steps in one pass over the data (the trainer derives the epoch from it). */
    long stepsPerEpoch();
}
