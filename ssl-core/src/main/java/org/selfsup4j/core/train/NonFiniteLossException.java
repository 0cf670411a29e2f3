package org.selfsup4j.core.train;

/**
 * Thrown when the loss or a gradient was NaN or infinite for too many steps in a row; the trainer
 * has written an emergency checkpoint (if it has a checkpoint folder) before throwing.
 */
public final class NonFiniteLossException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;

    public NonFiniteLossException(long step, int consecutive, String what) {
        super("Training stopped at step " + step + ": " + what + " was not finite for " + consecutive
                + " consecutive steps");
        this.step = step;
    }

    /** The step at which the run stopped. */
    public long step() {
        return step;
    }
}
