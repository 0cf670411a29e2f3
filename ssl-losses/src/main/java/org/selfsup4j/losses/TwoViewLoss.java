package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss between the embeddings of two views of the same batch, both {@code [N, D]}
 * (NT-Xent, BYOL, VICReg, Barlow Twins).
 */
public interface TwoViewLoss {
    /**
     * The loss and its gradients with respect to {@code a} (index 0) and {@code b} (index 1).
     * The gradients are valid until the next call on the same instance.
     *
     * @param a first view, {@code [N, D]}
     * @param b second view, {@code [N, D]}, same shape and data type as {@code a}
     */
    LossResult compute(INDArray a, INDArray b);
}
