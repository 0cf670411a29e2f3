package org.selfsup4j.augment.audio;

import org.selfsup4j.core.Checks;

/**
 * Deterministic audio operations; every method returns a new array and leaves its input alone.
 */
final class AudioOps {
    /** Zero crossings of the sinc on each side in {@link #resample}: a 32-tap-per-side Hann-windowed kernel. */
    public static final int SINC_ZEROS = 16;

    private AudioOps() {
    }

    /**
     * Crops to {@code length} starting at {@code offset}, or, when shorter, pads with zeros placing the
     * input at {@code offset}.
     *
     * @param x samples
     * @param length output length, &gt; 0
     * @param offset in [0, |x.length - length|]
     * @return the cropped or padded samples
     */
    public static float[] cropOrPad(float[] x, int length, int offset) {
        Checks.positive("AudioOps.cropOrPad", "length", length);
        int slack = Math.abs(x.length - length);
        if (offset < 0 || offset > slack) {
            throw new IllegalArgumentException("AudioOps.cropOrPad: offset must be in [0, " + slack + "], got " + offset);
        }
        float[] out = new float[length];
        if (x.length >= length) {
            System.arraycopy(x, offset, out, 0, length);
        } else {
            System.arraycopy(x, 0, out, offset, x.length);
        }
        return out;
    }

    /**
     * Multiplies by {@code 10^(db / 20)}.
     *
     * @param x samples
     * @param db gain in decibels
     * @return the scaled samples
     */
    public static float[] gain(float[] x, double db) {
        float g = (float) Math.pow(10.0, db / 20.0);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = g * x[i];
        }
        return out;
    }

    /**
     * Mean square of the samples.
     *
     * @param x samples
     * @return the power (0 for an empty array)
     */
    public static double power(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return x.length == 0 ? 0 : s / x.length;
    }

    /**
     * Adds {@code noise} scaled so that {@code 10 log10(P(x) / P(scaled noise)) = snrDb}. A silent
     * signal or silent noise comes back unchanged (no SNR is defined).
     *
     * @param x samples
     * @param noise noise, same length
     * @param snrDb target signal-to-noise ratio in dB
     * @return the noisy samples
     */
    public static float[] addNoise(float[] x, float[] noise, double snrDb) {
        if (noise.length != x.length) {
            throw new IllegalArgumentException("AudioOps.addNoise: noise must have the signal's length " + x.length
                    + ", got " + noise.length);
        }
        double ps = power(x);
        double pn = power(noise);
        float[] out = x.clone();
        if (ps == 0 || pn == 0) {
            return out;
        }
        float k = (float) Math.sqrt(ps / (pn * Math.pow(10.0, snrDb / 10.0)));
        for (int i = 0; i < x.length; i++) {
            out[i] += k * noise[i];
        }
        return out;
    }

    /**
     * Shifts right by {@code shift} samples (left when negative), filling with zeros or rolling over.
     *
     * @param x samples
     * @param shift samples to shift
     * @param roll whether samples pushed out re-enter at the other end
     * @return the shifted samples
     */
    public static float[] shift(float[] x, int shift, boolean roll) {
        int n = x.length;
        float[] out = new float[n];
        if (n == 0) {
            return out;
        }
        if (roll) {
            int s = Math.floorMod(shift, n);
            System.arraycopy(x, 0, out, s, n - s);
            System.arraycopy(x, n - s, out, 0, s);
        } else if (Math.abs(shift) < n) {
            if (shift >= 0) {
                System.arraycopy(x, 0, out, shift, n - shift);
            } else {
                System.arraycopy(x, -shift, out, 0, n + shift);
            }
        }
        return out;
    }

    /**
     * Changes speed (and pitch) by {@code factor}: resamples so the output has
     * {@code round(n / factor)} samples, read at the original rate. Band-limited: a Hann-windowed sinc
     * with {@link #SINC_ZEROS} zero crossings per side, its cut-off at {@code min(1, 1/factor)} of
     * the Nyquist frequency so that speeding up does not alias. Samples outside the input are zero.
     *
     * @param x samples
     * @param factor speed factor, in [0.25, 4]; 1.1 plays 10% faster
     * @return the resampled samples
     */
    public static float[] speed(float[] x, double factor) {
        Checks.inRange("AudioOps.speed", "factor", factor, 0.25, 4.0);
        int outLen = (int) Math.round(x.length / factor);
        float[] out = new float[outLen];
        if (factor == 1.0) {
            System.arraycopy(x, 0, out, 0, Math.min(outLen, x.length));
            return out;
        }
        double cutoff = Math.min(1.0, 1.0 / factor);
        double halfWidth = SINC_ZEROS / cutoff;
        for (int m = 0; m < outLen; m++) {
            double t = m * factor;
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            lo = Math.max(lo, 0);
            hi = Math.min(hi, x.length - 1);
            double acc = 0;
            for (int k = lo; k <= hi; k++) {
                double d = t - k;
                double a = cutoff * d;
                double sinc = a == 0 ? 1.0 : Math.sin(Math.PI * a) / (Math.PI * a);
                double win = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
                acc += x[k] * cutoff * sinc * win;
            }
            out[m] = (float) acc;
        }
        return out;
    }

    /**
     * Sets rows {@code [start, start + width)} of a spectrogram {@code [F][T]} to {@code value}
     * (SpecAugment frequency masking).
     *
     * @param spec spectrogram, rows = frequency bins
     * @param start first bin
     * @param width number of bins
     * @param value fill value
     * @return the masked copy
     */
    public static float[][] maskFrequency(float[][] spec, int start, int width, float value) {
        checkMask("maskFrequency", spec.length, start, width);
        float[][] out = copy(spec);
        for (int f = start; f < start + width; f++) {
            java.util.Arrays.fill(out[f], value);
        }
        return out;
    }

    /**
     * Sets columns {@code [start, start + width)} of a spectrogram {@code [F][T]} to {@code value}
     * (SpecAugment time masking).
     *
     * @param spec spectrogram, columns = frames
     * @param start first frame
     * @param width number of frames
     * @param value fill value
     * @return the masked copy
     */
    public static float[][] maskTime(float[][] spec, int start, int width, float value) {
        int t = spec.length == 0 ? 0 : spec[0].length;
        checkMask("maskTime", t, start, width);
        float[][] out = copy(spec);
        for (float[] row : out) {
            java.util.Arrays.fill(row, start, start + width, value);
        }
        return out;
    }

    static float[][] copy(float[][] spec) {
        float[][] out = new float[spec.length][];
        int t = spec.length == 0 ? 0 : spec[0].length;
        for (int i = 0; i < spec.length; i++) {
            if (spec[i].length != t) {
                throw new IllegalArgumentException("AudioOps: spectrogram rows must have equal length, row 0 has " + t
                        + ", row " + i + " has " + spec[i].length);
            }
            out[i] = spec[i].clone();
        }
        return out;
    }

    private static void checkMask(String method, int size, int start, int width) {
        if (width < 0 || start < 0 || start + width > size) {
            throw new IllegalArgumentException("AudioOps." + method + ": mask [start, start + width) must lie in [0, "
                    + size + "), got start " + start + ", width " + width);
        }
    }
}
