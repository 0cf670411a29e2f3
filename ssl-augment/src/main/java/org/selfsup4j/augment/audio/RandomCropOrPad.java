package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * Brings a waveform to a fixed length: a random window when longer, a random placement among zeros
 * when shorter (the offset is uniform over all positions).
 */
public final class RandomCropOrPad implements Transform<float[]> {
    private final int length;

    /** @param length output length in samples, &gt; 0 */
    public RandomCropOrPad(int length) {
        this.length = Checks.positive("RandomCropOrPad", "length", length);
    }

    /**
     * @param rng generator
     * @param inputLength the waveform's length
     * @return the offset, in [0, |inputLength - length|]
     */
    public int sample(SplittableRandom rng, int inputLength) {
        return rng.nextInt(Math.abs(inputLength - length) + 1);
    }

    /**
     * @param x samples
     * @param offset the draw
     * @return the cropped or padded samples
     */
    public float[] apply(float[] x, int offset) {
        return AudioOps.cropOrPad(x, length, offset);
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        return apply(input, sample(rng, input.length));
    }
}
