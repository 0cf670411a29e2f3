package org.selfsup4j.speech.io;

import org.selfsup4j.core.Checks;

/**
 * Band-limited resampling by a rational ratio with a windowed-sinc polyphase filter.
 *
 * <p>The algorithm and defaults are those of {@code torchaudio.functional.resample} (torchaudio 0.13):
 * with {@code g = gcd(from, to)}, {@code L = from / g}, {@code M = to / g}, cutoff
 * {@code base = min(L, M) * rolloff} and {@code w = lowpassFilterWidth},
 * <pre>
 *   width     = ceil(w * L / base)
 *   h_j[k]    = (base / L) * sinc(pi * t) * window(t),  t = clamp(base * ((k - width) / L - j / M), -w, w)
 *               for phase j in [0, M) and tap k in [0, 2 * width + L)
 *   y[m M + j] = sum_k x[m L + k - width] * h_j[k]     (x is zero outside the signal)
 *   output length = ceil(n * M / L)
 * </pre>
 * where {@code window(t) = cos^2(pi t / (2 w))} (Hann, torchaudio's "sinc_interpolation") or
 * {@code I0(beta sqrt(1 - (t/w)^2)) / I0(beta)} (Kaiser). The filters are computed once, in double
 * precision, when the resampler is built; torchaudio computes them in float32, so outputs agree to
 * about 1e-6 (see ResamplerTest).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Resampler {
    /** torchaudio's default number of sinc zero crossings on each side. */
    public static final int DEFAULT_LOWPASS_FILTER_WIDTH = 6;
    /** torchaudio's default cutoff as a fraction of the lower Nyquist frequency. */
    public static final double DEFAULT_ROLLOFF = 0.99;
    /** torchaudio's default Kaiser beta. */
    public static final double DEFAULT_KAISER_BETA = 14.769656459379492;

    /** The window applied to the sinc. */
    public enum Window {
        /** cos^2, a Hann window over the filter's support (torchaudio "sinc_interpolation"). */
        HANN,
        /** Kaiser window with {@link #DEFAULT_KAISER_BETA} or the beta given (torchaudio "kaiser_window"). */
        KAISER
    }

    private final int fromRate;
    private final int toRate;
    private final int up;
    private final int down;
    private final int width;
    /** kernels[j][k]: phase j, tap k; length 2 * width + down. */
    private final double[][] kernels;

    /**
     * A resampler with torchaudio's defaults (Hann window, 6 zero crossings, rolloff 0.99).
     *
     * @param fromRate input rate in Hz, positive
     * @param toRate output rate in Hz, positive
     */
    public Resampler(int fromRate, int toRate) {
        this(fromRate, toRate, DEFAULT_LOWPASS_FILTER_WIDTH, DEFAULT_ROLLOFF, Window.HANN, DEFAULT_KAISER_BETA);
    }

    /**
     * @param fromRate input rate in Hz, positive
     * @param toRate output rate in Hz, positive
     * @param lowpassFilterWidth sinc zero crossings kept on each side, positive; more is sharper and slower
     * @param rolloff cutoff as a fraction of the lower of the two Nyquist frequencies, in (0, 1]
     * @param window the window
     * @param kaiserBeta the Kaiser beta (ignored for Hann), positive
     */
    public Resampler(int fromRate, int toRate, int lowpassFilterWidth, double rolloff, Window window,
            double kaiserBeta) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("Resampler: rates must be positive, got " + fromRate + " -> "
                    + toRate);
        }
        Checks.positive("Resampler", "lowpassFilterWidth", lowpassFilterWidth);
        if (!(rolloff > 0 && rolloff <= 1)) {
            throw new IllegalArgumentException("Resampler: rolloff must be in (0, 1], got " + rolloff);
        }
        Checks.notNull("Resampler", "window", window);
        if (window == Window.KAISER && !(kaiserBeta > 0)) {
            throw new IllegalArgumentException("Resampler: kaiserBeta must be positive, got " + kaiserBeta);
        }
        this.fromRate = fromRate;
        this.toRate = toRate;
        int g = gcd(fromRate, toRate);
        this.down = fromRate / g;
        this.up = toRate / g;
        double base = Math.min(down, up) * rolloff;
        double w = lowpassFilterWidth;
        this.width = (int) Math.ceil(w * down / base);
        int taps = 2 * width + down;
        if ((long) up * taps > 20_000_000L) {
            throw new IllegalArgumentException("Resampler: the reduced ratio " + down + ":" + up + " (from "
                    + fromRate + " -> " + toRate + " Hz) needs " + ((long) up * taps) + " filter taps; choose"
                    + " rates with a larger common divisor");
        }
        this.kernels = new double[up][taps];
        double scale = base / down;
        double i0Beta = window == Window.KAISER ? besselI0(kaiserBeta) : 1;
        for (int j = 0; j < up; j++) {
            for (int k = 0; k < taps; k++) {
                double t = ((double) (k - width) / down - (double) j / up) * base;
                t = Math.max(-w, Math.min(w, t));
                double win;
                if (window == Window.HANN) {
                    double c = Math.cos(t * Math.PI / w / 2);
                    win = c * c;
                } else {
                    double r = t / w;
                    win = besselI0(kaiserBeta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                }
                double pt = t * Math.PI;
                double sinc = pt == 0 ? 1.0 : Math.sin(pt) / pt;
                kernels[j][k] = sinc * win * scale;
            }
        }
    }

    /** @return the input rate */
    public int fromRate() {
        return fromRate;
    }

    /** @return the output rate */
    public int toRate() {
        return toRate;
    }

    /**
     * @param inputLength number of input samples
     * @return number of output samples, {@code ceil(inputLength * toRate / fromRate)}
     */
    public int outputLength(int inputLength) {
        long num = (long) inputLength * up;
        return (int) ((num + down - 1) / down);
    }

    /**
     * Resamples one signal.
     *
     * @param x input samples at {@link #fromRate()}
     * @return samples at {@link #toRate()}, {@link #outputLength(int)} of them
     */
    public float[] resample(float[] x) {
        float[] y = new float[outputLength(x.length)];
        resample(x, y);
        return y;
    }

    /**
     * Resamples into a preallocated array.
     *
     * @param x input samples
     * @param y output, exactly {@link #outputLength(int)} long
     */
    public void resample(float[] x, float[] y) {
        int outLen = outputLength(x.length);
        if (y.length != outLen) {
            throw new IllegalArgumentException("Resampler.resample: output must have length " + outLen
                    + " for an input of " + x.length + ", got " + y.length);
        }
        if (up == down) {
            System.arraycopy(x, 0, y, 0, x.length);
            return;
        }
        int n = x.length;
        int taps = kernels[0].length;
        for (int o = 0; o < outLen; o++) {
            int m = o / up;
            int j = o - m * up;
            double[] h = kernels[j];
            int start = m * down - width;
            int k0 = Math.max(0, -start);
            int k1 = Math.min(taps, n - start);
            double acc = 0;
            for (int k = k0; k < k1; k++) {
                acc += x[start + k] * h[k];
            }
            y[o] = (float) acc;
        }
    }

    /**
     * Resamples every channel.
     *
     * @param audio audio at {@link #fromRate()}
     * @return audio at {@link #toRate()}, stored as FLOAT_32
     */
    public Audio resample(Audio audio) {
        if (audio.sampleRate() != fromRate) {
            throw new IllegalArgumentException("Resampler.resample: expected audio at " + fromRate + " Hz, got "
                    + audio.sampleRate() + " Hz");
        }
        float[][] out = new float[audio.numChannels()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = resample(audio.channel(c));
        }
        return new Audio(out, toRate, SampleEncoding.FLOAT_32);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 500; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }
}
