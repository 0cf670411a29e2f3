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
 * <p>With {@code gather} the shards are all-gathered (one exchange carrying every view), for
 * objectives that read their inputs (a momentum encoder runs on the global batch, as in
 * single-process training). Without, the other workers' rows stay zero: the
 * {@link DistributedEncoder} only reads this worker's rows, and the objective reads none.
 */
final class ViewExchange {
    private final Collective collective;
    private final boolean gather;
    private long exchanges;

    ViewExchange(Collective collective, boolean gather) {
        this.collective = collective;
        this.gather = gather;
    }

    List<INDArray> global(List<INDArray> shard) {
        int w = collective.worldSize();
        long n = shard.get(0).size(0);
        List<byte[]> all = gather ? collective.allGather("views#" + exchanges++, ArrayBytes.encode(shard)) : null;
        List<INDArray> parts = new ArrayList<>();
        for (INDArray v : shard) {
            parts.add(v.ulike());
        }
        List<INDArray> out = new ArrayList<>(shard.size());
        for (INDArray v : shard) {
            long[] shape = v.shape().clone();
            shape[0] = n * w;
            out.add(Nd4j.zeros(v.dataType(), shape));
        }
        for (int q = 0; q < w; q++) {
            List<INDArray> src = shard;
            if (q != collective.rank()) {
                if (all == null) {
                    continue;
                }
                ArrayBytes.decodeInto(all.get(q), parts);
                src = parts;
            }
            for (int i = 0; i < shard.size(); i++) {
                out.get(i).get(NDArrayIndex.interval(q * n, (q + 1) * n)).assign(src.get(i));
            }
        }
        return out;
    }
}
