package org.selfsup4j.core.train;

/** Receives progress from a {@link Trainer}: loss, throughput, ETA and the collapse metric. */
public interface TrainingListener {

    /** After every step, applied or skipped. */
    void onStep(StepReport report);

    /** After a checkpoint was written. */
    default void onCheckpoint(long step, java.nio.file.Path file) {
    }
}
