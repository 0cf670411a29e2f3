package org.selfsup4j.speech.data;

import java.util.SplittableRandom;

/** Fixed-length windows of a waveform: the training crops of the speech methods. */
public final class Crops {
    private Crops() {
    }

    /**
     * Crops {@code x} to {@code samples} or zero-pads it, at a random offset when {@code rng} is given,
     * else centred.
     *
     * @param x a waveform
     * @param samples the output length, {@code > 0}
     * @param rng the offset's generator, or null to centre
     * @return a new array of {@code samples} values
     */
    public static float[] fit(float[] x, int samples, SplittableRandom rng) {
        float[] y = new float[samples];
        if (x.length >= samples) {
            int off = rng == null ? (x.length - samples) / 2 : rng.nextInt(x.length - samples + 1);
            System.arraycopy(x, off, y, 0, samples);
        } else {
            int off = rng == null ? (samples - x.length) / 2 : rng.nextInt(samples - x.length + 1);
            System.arraycopy(x, 0, y, off, x.length);
        }
        return y;
    }
}
