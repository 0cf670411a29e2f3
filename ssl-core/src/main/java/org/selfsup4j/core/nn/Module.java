package org.selfsup4j.core.nn;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A differentiable function with trainable parameters and a hand-written backward pass.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #forward} computes the output and keeps what {@link #backward} needs. Only the most
 *       recent forward is remembered: to apply a module to several views, concatenate them along the
 *       batch axis (weights are then shared and gradients of all views accumulate).</li>
 *   <li>The returned array may be a buffer the module reuses on its next call of the same shape
 *       (hot paths preallocate: fresh off-heap memory is slow). Copy it if you keep it.</li>
 *   <li>{@link #backward} takes dLoss/dOutput of the last forward, <em>adds</em> the parameter
 *       gradients into {@link Parameter#gradient()}, and returns dLoss/dInput (possibly a reused buffer).</li>
 *   <li>Arrays keep the data type of the module's parameters (float32 or float64).</li>
 * </ul>
 */
public interface Module {

    /**
     * @param input a batch, batch axis first
     * @param training true to use batch statistics (batch norm) and remember activations for backward
     * @return the output batch
     */
    INDArray forward(INDArray input, boolean training);

    /**
     * @param gradOutput dLoss/dOutput, the shape of the last forward's output
     * @return dLoss/dInput, the shape of the last forward's input
     * @throws IllegalStateException if no training-mode forward preceded it
     */
    INDArray backward(INDArray gradOutput);

    /** Trainable parameters, with names unique within this module. */
    List<Parameter> parameters();

    /**
     * Non-trainable state that is part of the model (e.g. batch-norm running statistics), live
     * arrays keyed by unique names; checkpoints save and restore them.
     */
    default Map<String, INDArray> buffers() {
        return Map.of();
    }

    /**
     * Attaches an observer to the calls of this module's children (containers call it around each
     * child and pass it on; leaves, the default, ignore it); {@code null} detaches it. For profilers.
     *
     * @param observer the observer, or null for none
     */
    default void observe(ModuleObserver observer) {
    }
}
