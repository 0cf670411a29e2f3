package org.selfsup4j.spark;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A test's data: the shards the workers read and the global batch single-process training reads. */
interface ReferenceData extends ShardSource {
    /** @return the global batch's views at {@code step}; each worker's shard is a contiguous slice of it */
    List<INDArray> global(long step);
}
