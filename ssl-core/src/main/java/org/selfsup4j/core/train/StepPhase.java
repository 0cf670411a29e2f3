package org.selfsup4j.core.train;

/** The phases of a {@link Trainer} step, in the order they run, as reported to a {@link StepProfiler}. */
public enum StepPhase {
    /** Setting every parameter gradient to zero. */
    ZERO_GRAD,
    /** Concatenating the views along the batch axis into the encoder's input buffer. */
    CONCAT_VIEWS,
    /** The encoder's forward pass. */
    FORWARD,
    /** The objective's loss and its gradients with respect to the embeddings. */
    LOSS,
    /** Copying the embedding gradients of the views into the encoder's output-gradient buffer. */
    GATHER_GRADIENTS,
    /** The collapse monitor's embedding statistics. */
    COLLAPSE_MONITOR,
    /**
     * The NaN guard: backing up the state the step mutates, checking the loss and the gradients,
     * restoring on a skip (timed each time; the checks of the updated state are timed with
     * {@link #OPTIMIZER} and {@link #OBJECTIVE_UPDATE}).
     */
    GUARD,
    /** The encoder's backward pass. */
    BACKWARD,
    /** The optimizer update, and the guard's check that parameters and optimizer moments stayed finite. */
    OPTIMIZER,
    /** The objective's post-step hook (EMA target, queue), and the guard's check that buffers and objective state stayed finite. */
    OBJECTIVE_UPDATE
}
