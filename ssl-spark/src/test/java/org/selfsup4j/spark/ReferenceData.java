package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A test's data: the global batch single-process training reads, and the workers' shards, rank r's
 * contiguous slice of it.
 */
interface ReferenceData extends ShardSource {
    /** @return the global batch's views at {@code step} */
    List<INDArray> global(long step);

    @Override
    default List<INDArray> shard(long step, int rank, int workers) {
        List<INDArray> out = new ArrayList<>();
        for (INDArray v : global(step)) {
            if (v.size(0) % workers != 0) {
                throw new IllegalArgumentException("ReferenceData: a global batch of " + v.size(0)
                        + " does not split over " + workers + " workers");
            }
            long n = v.size(0) / workers;
            out.add(v.get(NDArrayIndex.interval(rank * n, (rank + 1) * n), NDArrayIndex.all()).dup());
        }
        return out;
    }

    @Override
    default long stepsPerEpoch() {
        return 1000;
    }
}
