package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;

/**
 * Updates parameters in place from their accumulated gradients.
 *
 * <p>Optimizer state (moments, momentum buffers) is kept per parameter name and exposed as live
 * arrays through {@link #state} so checkpoints can save and restore it.
 */
public interface Optimizer {

    /**
     * Applies one update to every parameter.
     *
     * @param parameters the parameters, with gradients accumulated
     * @param step 0-based index of this update (schedules and bias corrections read it)
     */
    void step(List<Parameter> parameters, long step);

    /** The learning rate this optimizer uses at the given step. */
    double learningRate(long step);

    /**
     * The optimizer's state for the given parameters, live arrays keyed {@code "<param>/<slot>"},
     * created (zeroed) where absent so that a checkpoint can be restored before the first step.
     */
    Map<String, INDArray> state(List<Parameter> parameters);
}
