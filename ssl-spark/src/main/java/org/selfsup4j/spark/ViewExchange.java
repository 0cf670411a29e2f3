package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns a worker's shard of the views into the global batch's views that
 * {@link org.selfsup4j.core.train.Trainer#step} is given: rank q's rows at {@code [q * n, (q + 1) * n)}.
 *
 * <p>This worker's rows are copied in at once; the other workers' rows stay zero until the
 * {@link DistributedEncoder}'s forward, which reads only this worker's rows of the input. With
 * {@code gather} (objectives that read their inputs: a momentum encoder runs on the global batch, as
 * in single-process training) the encoder carries the shards in its embedding all-gather and fills
 * the other rows before the trainer calls the objective: no exchange of their own. Without, the other
 * rows stay zero, and the objective reads none.
 */
final class ViewExchange {
    private final DistributedEncoder encoder;
    private final int worldSize;
    private final int rank;
    private final boolean gather;

    ViewExchange(DistributedEncoder encoder, Collective collective, boolean gather) {
        this.encoder = encoder;
        this.worldSize = collective.worldSize();
        this.rank = collective.rank();
        this.gather = gather;
    }

    List<INDArray> global(List<INDArray> shard) {
        long n = shard.get(0).size(0);
        List<INDArray> out = new ArrayList<>(shard.size());
        for (INDArray v : shard) {
            if (v.size(0) != n) {
                throw new IllegalArgumentException("ViewExchange: every view of a shard must have " + n + " rows, got "
                        + v.size(0));
            }
            long[] shape = v.shape().clone();
            shape[0] = n * worldSize;
            INDArray g = Nd4j.zeros(v.dataType(), shape);
            g.get(NDArrayIndex.interval(rank * n, (rank + 1) * n)).assign(v);
            out.add(g);
        }
        if (gather) {
            encoder.carryViews(shard, out);
        }
        return out;
    }
}
