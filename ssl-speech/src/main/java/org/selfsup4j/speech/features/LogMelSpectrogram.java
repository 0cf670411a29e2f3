package org.selfsup4j.speech.features;

import org.jtransforms.fft.DoubleFFT_1D;
import org.selfsup4j.core.Checks;

/**
 * Kaldi-style log mel filterbank energies ("fbank"), matching
 * {@code torchaudio.compliance.kaldi.fbank(waveform, dither=0.0, ...)} of torchaudio 0.13 with the same
 * {@link FbankOptions}.
 *
 * <p>Per frame of {@link FbankOptions#windowSize()} samples every {@link FbankOptions#windowShift()}:
 * <pre>
 *   x      -= mean(x)                               (removeDcOffset)
 *   E       = log(max(sum x^2, eps))                (rawEnergy; floored at log(energyFloor) if energyFloor &gt; 0)
 *   x[i]   -= p * x[max(0, i-1)]                    (pre-emphasis p, from the last sample down)
 *   x      *= window; zero-pad to the FFT length N
 *   P[k]    = |rfft(x)[k]|^2                        (|.| if usePower is false), k = 0 .. N/2
 *   fbank_b = log(max(sum_k P[k] W[b][k], eps))     triangular mel weights W, mel(f) = 1127 ln(1 + f/700)
 * </pre>
 * with {@code eps} = 1.1920928955078125e-07 (float32 machine epsilon, as Kaldi and torchaudio use). With
 * {@link FbankOptions#useEnergy()} the output gets {@code E} as an extra first column.
 *
 * <p>Shapes: input {@code float[n]} (one channel; its scale is used as given: HuBERT and torchaudio users
 * pass [-1, 1] floats, Kaldi itself uses 16-bit integer scale, which shifts every log value by
 * 2 ln 32768); output {@code float[numFrames(n)][numMelBins (+1 with useEnergy)]}. Unlike torchaudio, an
 * input shorter than one frame gives zero frames instead of an assertion error.
 *
 * <p>Arithmetic is in double precision (torchaudio works in the waveform's dtype); see
 * {@code LogMelSpectrogramTest} for the measured agreement. The FFT (JTransforms) and frame buffers are
 * allocated once per instance, so an instance is <b>not thread-safe</b>: use one per thread.
 */
public final class LogMelSpectrogram {
    /** Floor inside the logarithms: float32 machine epsilon, as in Kaldi and torchaudio. */
    public static final double EPSILON = 1.1920928955078125e-07;

    private final FbankOptions options;
    private final int windowSize;
    private final int windowShift;
    private final int padded;
    private final double[] window;
    /** Mel weights per bin over FFT bins [melStart[b], melStart[b] + melWeights[b].length). */
    private final double[][] melWeights;
    private final int[] melStart;
    private final DoubleFFT_1D fft;
    private final double[] frame;
    private final double[] spectrum;

    /**
     * @param options framing and filterbank settings
     */
    public LogMelSpectrogram(FbankOptions options) {
        this.options = Checks.notNull("LogMelSpectrogram", "options", options);
        this.windowSize = options.windowSize();
        this.windowShift = options.windowShift();
        this.padded = options.paddedWindowSize();
        this.window = options.window().samples(windowSize, options.blackmanCoeff());
        this.fft = new DoubleFFT_1D(padded);
        this.frame = new double[padded];
        this.spectrum = new double[padded / 2 + 1];
        int nb = options.numMelBins();
        this.melWeights = new double[nb][];
        this.melStart = new int[nb];
        buildMelBanks();
    }

    /**
     * Triangles in the mel domain, as {@code torchaudio.compliance.kaldi.get_mel_banks} without VTLN. The
     * Nyquist FFT bin gets weight 0 (torchaudio pads the bank with a zero column).
     */
    private void buildMelBanks() {
        double sr = options.sampleRate();
        double nyquist = 0.5 * sr;
        double high = options.highFreq() <= 0 ? options.highFreq() + nyquist : options.highFreq();
        int nb = options.numMelBins();
        int numFftBins = padded / 2;
        double binWidth = sr / padded;
        double melLow = mel(options.lowFreq());
        double melHigh = mel(high);
        double delta = (melHigh - melLow) / (nb + 1);
        double[] melOfBin = new double[numFftBins];
        for (int k = 0; k < numFftBins; k++) {
            melOfBin[k] = mel(binWidth * k);
        }
        for (int b = 0; b < nb; b++) {
            double left = melLow + b * delta;
            double center = melLow + (b + 1.0) * delta;
            double right = melLow + (b + 2.0) * delta;
            int first = -1;
            int last = -1;
            double[] w = new double[numFftBins];
            for (int k = 0; k < numFftBins; k++) {
                double up = (melOfBin[k] - left) / (center - left);
                double down = (right - melOfBin[k]) / (right - center);
                double v = Math.max(0, Math.min(up, down));
                w[k] = v;
                if (v > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                // An empty bin (too many bins for the FFT resolution): Kaldi outputs log(eps) there.
                melStart[b] = 0;
                melWeights[b] = new double[0];
            } else {
                melStart[b] = first;
                melWeights[b] = java.util.Arrays.copyOfRange(w, first, last + 1);
            }
        }
    }

    static double mel(double freq) {
        return 1127.0 * Math.log(1.0 + freq / 700.0);
    }

    /** @return the settings */
    public FbankOptions options() {
        return options;
    }

    /** @return columns of the output: numMelBins, plus one with useEnergy */
    public int numFeatures() {
        return options.numMelBins() + (options.useEnergy() ? 1 : 0);
    }

    /**
     * @param numSamples input length
     * @return output frames for that length
     */
    public int numFrames(int numSamples) {
        return options.numFrames(numSamples);
    }

    /**
     * @param waveform one channel of samples at {@link FbankOptions#sampleRate()}
     * @return {@code [numFrames][numFeatures]} log filterbank energies
     */
    public float[][] compute(float[] waveform) {
        double[][] d = computeDouble(waveform, options.useEnergy());
        float[][] out = new float[d.length][];
        for (int t = 0; t < d.length; t++) {
            out[t] = new float[d[t].length];
            for (int i = 0; i < d[t].length; i++) {
                out[t][i] = (float) d[t][i];
            }
        }
        return out;
    }

    /**
     * @param waveform samples
     * @param withEnergy put the log energy in column 0
     * @return {@code [frames][numMelBins + (withEnergy ? 1 : 0)]} in double precision
     */
    double[][] computeDouble(float[] waveform, boolean withEnergy) {
        Checks.notNull("LogMelSpectrogram.compute", "waveform", waveform);
        int n = waveform.length;
        int frames = options.numFrames(n);
        int nb = options.numMelBins();
        int off = withEnergy ? 1 : 0;
        double[][] out = new double[frames][nb + off];
        int pad = windowSize / 2 - windowShift / 2;
        double p = options.preemphasisCoefficient();
        double logFloor = options.energyFloor() > 0 ? Math.log(options.energyFloor()) : Double.NEGATIVE_INFINITY;
        for (int f = 0; f < frames; f++) {
            int start = f * windowShift;
            if (options.snipEdges()) {
                for (int i = 0; i < windowSize; i++) {
                    frame[i] = waveform[start + i];
                }
            } else {
                for (int i = 0; i < windowSize; i++) {
                    frame[i] = waveform[reflect(start + i - pad, n)];
                }
            }
            if (options.removeDcOffset()) {
                double mean = 0;
                for (int i = 0; i < windowSize; i++) {
                    mean += frame[i];
                }
                mean /= windowSize;
                for (int i = 0; i < windowSize; i++) {
                    frame[i] -= mean;
                }
            }
            double logEnergy = 0;
            if (options.rawEnergy()) {
                logEnergy = logEnergy(windowSize, logFloor);
            }
            if (p != 0) {
                for (int i = windowSize - 1; i > 0; i--) {
                    frame[i] -= p * frame[i - 1];
                }
                frame[0] -= p * frame[0];
            }
            for (int i = 0; i < windowSize; i++) {
                frame[i] *= window[i];
            }
            java.util.Arrays.fill(frame, windowSize, padded, 0.0);
            if (!options.rawEnergy()) {
                logEnergy = logEnergy(padded, logFloor);
            }
            powerSpectrum();
            double[] row = out[f];
            if (withEnergy) {
                row[0] = logEnergy;
            }
            for (int b = 0; b < nb; b++) {
                double[] w = melWeights[b];
                int s = melStart[b];
                double acc = 0;
                for (int k = 0; k < w.length; k++) {
                    acc += w[k] * spectrum[s + k];
                }
                row[off + b] = Math.log(Math.max(acc, EPSILON));
            }
        }
        return out;
    }

    private double logEnergy(int len, double logFloor) {
        double e = 0;
        for (int i = 0; i < len; i++) {
            e += frame[i] * frame[i];
        }
        return Math.max(Math.log(Math.max(e, EPSILON)), logFloor);
    }

    /** Fills {@link #spectrum} from {@link #frame} (destroyed) with |X[k]|^2 or |X[k]|. */
    private void powerSpectrum() {
        fft.realForward(frame);
        int half = padded / 2;
        // JTransforms packs Re[0] in a[0] and Re[N/2] in a[1].
        spectrum[0] = frame[0] * frame[0];
        spectrum[half] = frame[1] * frame[1];
        for (int k = 1; k < half; k++) {
            double re = frame[2 * k];
            double im = frame[2 * k + 1];
            spectrum[k] = re * re + im * im;
        }
        if (!options.usePower()) {
            for (int k = 0; k <= half; k++) {
                spectrum[k] = Math.sqrt(spectrum[k]);
            }
        }
    }

    /** Kaldi's reflection at the ends, which repeats the edge sample: [2, 1, 0, 0, 1, 2]. */
    private static int reflect(int j, int n) {
        while (j < 0 || j >= n) {
            if (j < 0) {
                j = -j - 1;
            } else {
                j = 2 * n - 1 - j;
            }
        }
        return j;
    }
}
