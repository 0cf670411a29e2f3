package org.selfsup4j.augment;

import java.util.SplittableRandom;

/**
 * A random transform of one sample. Implementations are immutable and thread-safe: all randomness
 * comes from the generator passed in, never from a field.
 *
 * @param <T> the sample type ({@code FloatImage}, {@code float[]} waveform, {@code float[][]} spectrogram)
 */
@FunctionalInterface
public interface Transform<T> {

    /**
     * Draws this transform's random parameters from {@code rng} and applies them.
     *
     * @param input the sample; never modified
     * @param rng the generator of this (seed, epoch, sample, view)
     * @return a new sample (or {@code input} itself when the transform leaves it unchanged)
     */
    T apply(T input, SplittableRandom rng);
}
