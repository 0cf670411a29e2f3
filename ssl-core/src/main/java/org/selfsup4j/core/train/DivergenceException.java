package org.selfsup4j.core.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Thrown by the {@link Trainer} when its {@link DivergenceMonitor} is configured to stop and raised a
 * warning; the trainer has written a checkpoint of the state at that step first (if it has a
 * checkpoint folder), so the run can be inspected or resumed with other settings.
 */
public final class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient DivergenceWarning warning;
    /** Kept as a string, as in the checkpoint exceptions: a {@link Path} is not serializable; null when none. */
    private final String checkpoint;

    /**
     * @param warning the warning that stopped the run
     * @param checkpoint the checkpoint written before stopping, or null when the trainer has no checkpoint folder
     */
    public DivergenceException(DivergenceWarning warning, Path checkpoint) {
        super("Training stopped on divergence: " + Objects.requireNonNull(warning, "warning").message()
                + (checkpoint == null ? " (no checkpoint folder set, nothing saved)" : " Checkpoint: " + checkpoint));
        this.warning = warning;
        this.checkpoint = checkpoint == null ? null : checkpoint.toString();
    }

    /** The warning that stopped the run. */
    public DivergenceWarning warning() {
        return warning;
    }

    /** The checkpoint written before stopping, or null when none was written. */
    public Path checkpoint() {
        return checkpoint == null ? null : Path.of(checkpoint);
    }

    /** The step at which the run stopped. */
    public long step() {
        return warning.step();
    }
}
