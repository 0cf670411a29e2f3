package org.selfsup4j.vision.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/** The input check the image layers of this package share. */
final class Nchw {
    private Nchw() {
    }

    /**
     * @param where the place, e.g. {@code "Upsample2d.forward"}
     * @param input the layer's input
     * @return {@code input}
     * @throws IllegalArgumentException unless it is a rank-4 [N, C, H, W] array
     */
    static INDArray input(String where, INDArray input) {
        // an explicit branch, so the message is built only on failure (layers call this every step)
        if (input == null || input.rank() != 4) {
            throw new IllegalArgumentException(where + ": expected input [N, C, H, W], got "
                    + (input == null ? "null" : Checks.shape(input)));
        }
        return input;
    }
}
