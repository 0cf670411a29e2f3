package org.selfsup4j.spark;

import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A worker's share of each global batch: rank r of W reads samples {@code [r * n, (r + 1) * n)} of
 * the global batch of {@code W * n} (the contiguous split that {@link DistributedEncoder} assumes), as
 * a pure function of the step, so a resumed run reads the same data. Serializable: it travels to
 * the executors with the task.
 */
public interface ShardSource extends Serializable {

    /**
     * @param step 0-based global step
     * @param rank this worker
     * @param workers W
     * @return the shard's views, each {@code [n, ...]} with the same n on every worker
     */
    List<INDArray> shard(long step, int rank, int workers);

    /** Steps in one pass over the data (the trainer derives the epoch from it). */
    long stepsPerEpoch();
}
