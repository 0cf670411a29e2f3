package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the normalisation layers of a network (heads, backbones), so that the network's recipe can
 * stay the same while the normalisation changes: {@link #BATCH_NORM} (the default everywhere) for
 * one process, a synchronised batch norm (ssl-spark's {@code SyncBatchNorm}) for data-parallel
 * replicas, whose per-worker statistics would otherwise make the replicas diverge.
 *
 * <p>A factory must give a layer with {@link BatchNorm}'s parameter and buffer names and initial
 * values, so that checkpoints, EMA copies and encoder files move between the two.
 */
@FunctionalInterface
public interface NormFactory {
    /** The library's {@link BatchNorm} with its default eps and momentum. */
    NormFactory BATCH_NORM = BatchNorm::new;

    /**
     * @param channels C, the normalised feature or channel axis (axis 1 of the input)
     * @param affine whether the layer learns {@code weight} and {@code bias}
     * @param dtype FLOAT or DOUBLE
     * @return a fresh normalisation layer
     */
    Module create(int channels, boolean affine, DataType dtype);
}
