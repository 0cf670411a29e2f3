package org.selfsup4j.core.nn.transformer;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/**
 * What the sequence layers share as {@link Module}s (these and the speech and vision layers built on
 * them): a parameter list fixed when the layer is built (set once, at the end of the subclass's
 * constructor, usually from {@link NamedParameters}), and the checks at the top of forward and backward.
 */
public abstract class ParameterizedLayer implements Module {
    private List<Parameter> parameters;
    private boolean trainingForward;

    /**
     * @param ps the layer's parameters, in checkpoint order
     * @throws IllegalStateException when called twice
     */
    protected final void setParameters(List<Parameter> ps) {
        if (parameters != null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": parameters are already set");
        }
        parameters = List.copyOf(ps);
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    /**
     * Called at the end of {@code forward}: whether {@code backward} may use this forward's activations.
     *
     * @param training the forward's mode
     */
    protected final void forwardDone(boolean training) {
        trainingForward = training;
    }

    /**
     * The check at the top of {@code backward}: the last forward was a training one.
     *
     * @param where the layer's name in messages
     * @throws IllegalStateException otherwise
     */
    protected final void checkForwarded(String where) {
        Checks.state(trainingForward, where + ".backward", "backward called before a training forward");
    }

    /**
     * The checks at the top of a sequence layer's {@code forward}: {@code input} is {@code [N, T, dim]}
     * of type {@code dtype}.
     *
     * @param where the layer's name in messages
     * @param input the forward's input
     * @param dim the model dimension D
     * @param dtype the layer's data type
     * @throws IllegalArgumentException otherwise
     */
    protected static void checkSequence(String where, INDArray input, int dim, DataType dtype) {
        Checks.rank(where + ".forward", "input", input, 3, "[N, T, " + dim + "]");
        Checks.shapeEquals(where + ".forward", "input", input, input.size(0), input.size(1), dim);
        Checks.dataType(where + ".forward", "input", input, dtype);
    }

    /**
     * {@link #checkForwarded}, then that {@code gradOutput} has the output's shape.
     *
     * @param where the layer's name in messages
     * @param gradOutput dL/d(output)
     * @param outputShape the shape of the last output
     * @return {@code gradOutput}
     * @throws IllegalArgumentException when the shape differs
     */
    protected final INDArray checkBackward(String where, INDArray gradOutput, long... outputShape) {
        checkForwarded(where);
        return Checks.shapeEquals(where + ".backward", "gradOutput", gradOutput, outputShape);
    }
}
