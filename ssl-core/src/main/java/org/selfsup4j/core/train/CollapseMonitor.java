package org.selfsup4j.core.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The collapse metric of SimSiam (Chen and He 2021) and solo-learn: the standard deviation over the
 * batch of L2-normalized embeddings, averaged over dimensions. A collapsed encoder (every input
 * mapped to one point) gives 0; outputs spread over the sphere give about {@code 1/sqrt(D)}.
 */
public final class CollapseMonitor {
    private CollapseMonitor() {
    }

    /** @param embeddings {@code [N, D]} (other ranks are flattened to {@code [N, -1]}), N &gt;= 2 */
    public static double embeddingStd(INDArray embeddings) {
        if (embeddings.rank() < 2 || embeddings.size(0) < 2) {
            throw new IllegalArgumentException("CollapseMonitor.embeddingStd: expected [N >= 2, D], got "
                    + java.util.Arrays.toString(embeddings.shape()));
        }
        INDArray flat = embeddings.reshape(embeddings.size(0), -1);
        // a private float64 copy: the caller's array must not be normalized in place
        INDArray z = flat.dataType() == DataType.DOUBLE ? flat.dup() : flat.castTo(DataType.DOUBLE);
        INDArray norms = z.norm2(1).reshape(z.size(0), 1).addi(1e-12);
        INDArray u = z.divi(norms);
        return u.std(true, 0).meanNumber().doubleValue();
    }
}
