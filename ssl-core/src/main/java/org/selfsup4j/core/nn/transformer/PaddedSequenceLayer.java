package org.selfsup4j.core.nn.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer over sequences {@code [N, T, D]} that can leave padded positions out of attention; the
 * plain {@link #forward(INDArray, boolean)} is the case without padding.
 */
public abstract class PaddedSequenceLayer extends ParameterizedLayer {

    @Override
    public final INDArray forward(INDArray input, boolean training) {
        return forward(input, null, training);
    }

    /**
     * @param input {@code [N, T, D]}
     * @param keyPaddingMask {@code [N, T]}, nonzero at padded positions, or null for none
     * @param training remember activations for backward
     * @return {@code [N, T, D]}
     */
    public abstract INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training);
}
