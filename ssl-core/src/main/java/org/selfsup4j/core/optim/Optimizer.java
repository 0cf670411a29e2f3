package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.HostArrays;
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

    /**
     * {@link #step}, then the NaN guard's question: the name of a parameter whose value or state now
     * holds a NaN or an infinity, or null when everything the update wrote is finite (finite gradients
     * can still overflow them, at a learning rate of 1e35 say). Where it finds one it may stop before
     * updating the rest: the caller then restores the state from before the step. The default steps,
     * then reads every parameter and state array once more; the built-in optimizers whose fused kernels
     * see each value as they write it answer from there, without that second pass over memory.
     *
     * @param parameters the parameters, with gradients accumulated
     * @param step 0-based index of this update
     */
    default String stepAndFindNonFinite(List<Parameter> parameters, long step) {
        step(parameters, step);
        for (Parameter p : parameters) {
            if (!HostArrays.isFinite(p.value())) {
                return p.name();
            }
        }
        for (Map.Entry<String, INDArray> e : state(parameters).entrySet()) {
            if (!HostArrays.isFinite(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }

    /** The learning rate this optimizer uses at the given step. */
    double learningRate(long step);

    /**
     * The optimizer's state for the given parameters, live arrays keyed {@code "<param>/<slot>"},
     * created (zeroed) where absent so that a checkpoint can be restored before the first step.
     */
    Map<String, INDArray> state(List<Parameter> parameters);
}
