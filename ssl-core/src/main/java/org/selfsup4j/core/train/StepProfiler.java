package org.selfsup4j.core.train;

/**
 * Opt-in timing of a {@link Trainer}'s steps, set with {@link Trainer#setProfiler}; none by default,
 * and then the trainer reads no clock. The trainer measures each {@link StepPhase} and reports it here
 * on its own thread. For a breakdown by block type as well, attach a
 * {@link org.selfsup4j.core.nn.ModuleObserver} to the encoder ({@link StepTimes} is both).
 */
@FunctionalInterface
public interface StepProfiler {

    /**
     * @param phase the phase that just ended
     * @param nanos its wall-clock duration
     */
    void phaseTimed(StepPhase phase, long nanos);
}
