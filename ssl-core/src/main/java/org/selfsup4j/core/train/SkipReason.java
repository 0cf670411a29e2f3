package org.selfsup4j.core.train;

/** Why the {@link Trainer}'s NaN guard skipped a step (and restored the state from before it). */
public enum SkipReason {
    /** The objective's loss was NaN or infinite. */
    NON_FINITE_LOSS,
    /** A gradient (of an embedding or of a parameter) was NaN or infinite. */
    NON_FINITE_GRADIENT,
    /** The loss and gradients were finite but the optimizer update made a parameter or an optimizer moment non-finite. */
    NON_FINITE_PARAMETERS,
    /** A buffer (batch-norm statistics) or the objective's state (EMA target, queue, ...) became non-finite. */
    NON_FINITE_STATE
}
