package org.selfsup4j.speech.io;

import java.util.Arrays;
import org.selfsup4j.core.Checks;

/**
 * Decoded audio: one float array per channel, all the same length, at one sample rate.
 *
 * <p>Samples are floats in the nominal range [-1, 1] (float files may exceed it). The arrays are
 * shared, not copied: treat them as read-only or copy them.
 *
 * @param channels samples, {@code channels[c][t]}; at least one channel, all of equal length
 * @param sampleRate samples per second, positive
 * @param encoding how the samples were stored in the source file (or should be written)
 */
public record Audio(float[][] channels, int sampleRate, SampleEncoding encoding) {

    /** Validates the shape and rate. */
    public Audio {
        if (channels == null || channels.length == 0) {
            throw new IllegalArgumentException("Audio: expected at least one channel, got "
                    + (channels == null ? "null" : "0"));
        }
        int n = channels[0].length;
        for (int c = 1; c < channels.length; c++) {
            if (channels[c].length != n) {
                throw new IllegalArgumentException("Audio: all channels must have the same length, got "
                        + n + " for channel 0 and " + channels[c].length + " for channel " + c);
            }
        }
        Checks.positive("Audio", "sampleRate", sampleRate);
        Checks.notNull("Audio", "encoding", encoding);
    }

    /**
     * One-channel audio stored as 32-bit float.
     *
     * @param samples the samples (not copied)
     * @param sampleRate samples per second
     * @return mono audio
     */
    public static Audio mono(float[] samples, int sampleRate) {
        return new Audio(new float[][] {samples}, sampleRate, SampleEncoding.FLOAT_32);
    }

    /** @return the number of channels */
    public int numChannels() {
        return channels.length;
    }

    /** @return the number of samples per channel */
    public int numFrames() {
        return channels[0].length;
    }

    /** @return the duration in seconds */
    public double durationSeconds() {
        return (double) numFrames() / sampleRate;
    }

    /**
     * @param c channel index
     * @return that channel's samples (shared)
     */
    public float[] channel(int c) {
        if (c < 0 || c >= channels.length) {
            throw new IllegalArgumentException("Audio.channel: index must be in [0, " + channels.length
                    + "), got " + c);
        }
        return channels[c];
    }

    /**
     * The mean of all channels. For mono audio the channel itself is returned (shared).
     *
     * @return one array of {@link #numFrames()} samples
     */
    public float[] mixToMono() {
        if (channels.length == 1) {
            return channels[0];
        }
        int n = numFrames();
        double[] acc = new double[n];
        for (float[] ch : channels) {
            for (int t = 0; t < n; t++) {
                acc[t] += ch[t];
            }
        }
        float[] out = new float[n];
        double inv = 1.0 / channels.length;
        for (int t = 0; t < n; t++) {
            out[t] = (float) (acc[t] * inv);
        }
        return out;
    }

    /** @return this audio mixed down to one channel, same rate and encoding */
    public Audio toMono() {
        return channels.length == 1 ? this : new Audio(new float[][] {mixToMono()}, sampleRate, encoding);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Audio a && sampleRate == a.sampleRate && encoding == a.encoding
                && Arrays.deepEquals(channels, a.channels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.deepHashCode(channels) + sampleRate) + encoding.hashCode();
    }

    @Override
    public String toString() {
        return "Audio[" + numChannels() + " ch, " + numFrames() + " frames, " + sampleRate + " Hz, "
                + encoding + "]";
    }
}
