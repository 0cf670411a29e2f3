package org.selfsup4j.core.train;

import java.util.SplittableRandom;

/**
 * Where the run is: the global step (0-based, counting every attempted step, including ones the
 * NaN guard skipped), the planned total, the epoch, and the run's seed.
 *
 * <p>Randomness is a pure function of (seed, step, stream): {@link #random(long)} gives the same
 * generator on a resumed run as on the original one, so a run needs no RNG state beyond its seed
 * and step to resume bit-identically.
 *
 * @param step 0-based step index
 * @param totalSteps planned number of steps (schedules read it)
 * @param epoch 0-based epoch
 * @param seed the run's seed
 */
public record StepContext(long step, long totalSteps, long epoch, long seed) {

    /** A generator for this step and the given stream (objectives use distinct stream ids). */
    public SplittableRandom random(long stream) {
        return new SplittableRandom(Seeds.mix(seed, step, stream));
    }
}
