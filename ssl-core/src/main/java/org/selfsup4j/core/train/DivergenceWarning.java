package org.selfsup4j.core.train;

import java.util.Objects;

/**
 * A sign that a run diverged or collapsed without producing a NaN, raised by a
 * {@link DivergenceMonitor} once a condition has held for its patience.
 *
 * @param step the 0-based step at which the condition had held for the patience
 * @param kind which condition
 * @param value the monitored value at that step
 * @param bound the bound it crossed
 * @param message one sentence for a log or a results file
 */
public record DivergenceWarning(long step, Kind kind, double value, double bound, String message) {
    /** The conditions a {@link DivergenceMonitor} watches. */
    public enum Kind {
        /** The loss is no lower than the objective's chance value: the encoder tells nothing apart. */
        LOSS_AT_CHANCE,
        /** The collapse monitor's embedding std is below its minimum: every input maps to one point. */
        EMBEDDING_COLLAPSE,
        /** A buffer (a batch-norm running mean or variance) has a magnitude beyond its bound. */
        BUFFER_BEYOND_BOUND
    }

    public DivergenceWarning {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
