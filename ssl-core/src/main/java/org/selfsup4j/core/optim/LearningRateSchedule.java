package org.selfsup4j.core.optim;

/**
 * The learning rate as a function of the 0-based optimizer step.
 *
 * <p>Implementations: {@link ConstantSchedule}, {@link WarmupCosineSchedule}; a lambda works too
 * ({@code step -> 0.1 * Math.pow(0.5, step / 1000)}).
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * @param step 0-based index of the update
     * @return the learning rate for that update, {@code >= 0}
     */
    double at(long step);
}
