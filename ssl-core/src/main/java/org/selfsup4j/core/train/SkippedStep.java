package org.selfsup4j.core.train;

import java.util.Objects;

/**
 * A step the {@link Trainer}'s NaN guard skipped: its parameters, buffers, objective state and
 * optimizer moments were restored to their values from before the step.
 *
 * @param step the 0-based step
 * @param reason why it was skipped
 * @param loss the step's loss (may be finite when the update, not the loss, went wrong)
 */
public record SkippedStep(long step, SkipReason reason, double loss) {
    public SkippedStep {
        Objects.requireNonNull(reason, "reason");
    }
}
