package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;

/**
 * The same learning rate at every step.
 *
 * @param learningRate the rate, finite and {@code >= 0}
 */
public record ConstantSchedule(double learningRate) implements LearningRateSchedule {

    /** @throws IllegalArgumentException if the rate is negative or not finite */
    public ConstantSchedule {
        Checks.nonNegative("ConstantSchedule", "learningRate", learningRate);
    }

    @Override
    public double at(long step) {
        return learningRate;
    }
}
