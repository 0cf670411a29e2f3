package org.selfsup4j.speech.model.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.NdArrays;

/** The sums of residual connections (and of their gradients) into buffers reused across steps. */
final class Residuals {
    private Residuals() {
    }

    /**
     * @param cached last step's buffer, or null
     * @param a the first term; its type and shape are the result's
     * @param b the second term, same shape
     * @return {@code a + b} in {@code cached} when it fits, else in a new buffer
     */
    static INDArray sum(INDArray cached, INDArray a, INDArray b) {
        INDArray out = NdArrays.reuse(cached, a.dataType(), a.shape());
        return out.assign(a).addi(b);
    }
}
