package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * The common part of the element-wise activations ({@link ReLU}, {@link GELU}): any shape, no
 * parameters, an output and an input-gradient buffer of the input's shape and type kept between calls
 * (reallocated only when the shape or type changes), and the checks that a backward follows a forward
 * and matches its output. Subclasses hold only their function and its derivative.
 */
abstract class ElementwiseActivation extends ParameterFreeModule {
    // the messages' "ReLU.forward" etc., built once rather than on every call
    private final String forwardWhere = getClass().getSimpleName() + ".forward";
    private final String backwardWhere = getClass().getSimpleName() + ".backward";
    private INDArray input;
    private INDArray out;
    private INDArray gradIn;

    @Override
    public final INDArray forward(INDArray x, boolean training) {
        Checks.notNull(forwardWhere, "input", x);
        out = NdArrays.reuse(out, x.dataType(), x.shape());
        activate(x, out);
        input = x;
        return out;
    }

    @Override
    public final INDArray backward(INDArray gradOutput) {
        Checks.gradOutput(backwardWhere, input != null, gradOutput, out);
        gradIn = NdArrays.reuse(gradIn, out.dataType(), out.shape());
        gradient(input, out, gradOutput, gradIn);
        return gradIn;
    }

    /**
     * Writes the activation of {@code x} into {@code out}.
     *
     * @param x the input, not modified
     * @param out the output buffer, of x's shape and type
     */
    abstract void activate(INDArray x, INDArray out);

    /**
     * Writes {@code dL/dx = dL/dy * f'(x)} into {@code gradIn}.
     *
     * @param x the last forward's input (the caller's array: read, never written)
     * @param y the last forward's output
     * @param gradOutput dL/dy, of y's shape
     * @param gradIn the buffer to fill, of y's shape
     */
    abstract void gradient(INDArray x, INDArray y, INDArray gradOutput, INDArray gradIn);
}
