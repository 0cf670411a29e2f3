package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The per-feature batch statistics of an {@code [N, D]} embedding that {@link BarlowTwinsLoss}
 * (standardised columns, as BatchNorm1d without affine) and {@link VicRegLoss} (centred columns for
 * the covariance) share, and the diagonal view of their {@code [D, D]} matrices.
 */
final class BatchStatistics {
    private BatchStatistics() {
    }

    /**
     * Subtracts each column's mean, in place.
     *
     * @param x {@code [N, D]}
     * @return {@code x}
     */
    static INDArray center(INDArray x) {
        x.subiRowVector(x.mean(true, 0));
        return x;
    }

    /**
     * Standardises each column in place with its mean and biased variance:
     * {@code x <- (x - mean) / sqrt(var + eps)}.
     *
     * @param x {@code [N, D]}
     * @param eps added to each variance
     * @param scratch overwritten, {@code x}'s shape and type
     * @return sigma {@code [1, D]}, {@code sqrt(var + eps)}
     */
    static INDArray standardize(INDArray x, double eps, INDArray scratch) {
        center(x);
        INDArray var = scratch.assign(x).muli(x).mean(true, 0);
        INDArray sigma = Transforms.sqrt(var.addi(eps), false);
        x.diviRowVector(sigma);
        return sigma;
    }

    /**
     * @param square a {@code [D, D]} buffer in C order
     * @return a view of its main diagonal, {@code [D]}: writes go through
     */
    static INDArray diagonal(INDArray square) {
        long d = square.size(0);
        long dd = d * d;
        return square.reshape(dd).get(NDArrayIndex.interval(0, d + 1, dd));
    }
}
