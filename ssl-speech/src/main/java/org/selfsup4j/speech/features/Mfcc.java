package org.selfsup4j.speech.features;

import org.selfsup4j.core.Checks;

/**
 * Kaldi-style MFCCs, matching {@code torchaudio.compliance.kaldi.mfcc(waveform, dither=0.0, ...)} of
 * torchaudio 0.13 with the same {@link FbankOptions}, {@code num_ceps} and {@code cepstral_lifter}.
 *
 * <pre>
 *   fbank  = log mel energies ({@link LogMelSpectrogram}, numMelBins = M)
 *   c[i]   = sum_m fbank[m] * D[m][i],  D[m][i] = sqrt(2/M) cos(pi/M (m + 1/2) i),  D[m][0] = sqrt(1/M)
 *   c[i]  *= 1 + (L/2) sin(pi i / L)                    (lifter L, skipped when L = 0)
 *   c[0]   = log energy                                 (only with useEnergy)
 * </pre>
 * for {@code i < numCeps}. Shapes: {@code float[n]} in, {@code float[frames][numCeps]} out.
 *
 * <p>HuBERT's first-iteration targets ({@code fairseq/examples/hubert/simple_kmeans/dump_mfcc_feature.py})
 * are {@code kaldi.mfcc(x, sample_frequency=sr, use_energy=False)} (13 cepstra, 23 mel bins) followed by
 * {@code compute_deltas} twice and a concatenation: {@link #hubert(int)} and
 * {@link #computeWithDeltas(float[])} give exactly that (39 values per frame).
 *
 * <p>Holds a {@link LogMelSpectrogram}, so an instance is <b>not thread-safe</b>.
 */
public final class Mfcc {
    /** Kaldi's number of cepstra, C0 included: 13. */
    public static final int DEFAULT_NUM_CEPS = 13;
    /** Kaldi's cepstral lifter: 22. */
    public static final double DEFAULT_CEPSTRAL_LIFTER = 22.0;

    private final LogMelSpectrogram fbank;
    private final int numCeps;
    private final double cepstralLifter;
    /** dct[m][i], m over mel bins, i over cepstra, lifter folded in. */
    private final double[][] dct;

    /**
     * @param options framing and filterbank settings (useEnergy replaces C0 by the log energy)
     * @param numCeps cepstra to keep, 1 to numMelBins
     * @param cepstralLifter lifter coefficient, 0 for none
     */
    public Mfcc(FbankOptions options, int numCeps, double cepstralLifter) {
        Checks.notNull("Mfcc", "options", options);
        int nb = options.numMelBins();
        if (numCeps < 1 || numCeps > nb) {
            throw new IllegalArgumentException("Mfcc: numCeps must be in [1, numMelBins = " + nb + "], got "
                    + numCeps);
        }
        if (cepstralLifter < 0 || Double.isNaN(cepstralLifter)) {
            throw new IllegalArgumentException("Mfcc: cepstralLifter must be non-negative, got " + cepstralLifter);
        }
        this.fbank = new LogMelSpectrogram(options);
        this.numCeps = numCeps;
        this.cepstralLifter = cepstralLifter;
        this.dct = new double[nb][numCeps];
        for (int i = 0; i < numCeps; i++) {
            double lift = cepstralLifter != 0 ? 1 + 0.5 * cepstralLifter * Math.sin(Math.PI * i / cepstralLifter)
                    : 1;
            for (int m = 0; m < nb; m++) {
                double d = i == 0 ? Math.sqrt(1.0 / nb) : Math.sqrt(2.0 / nb) * Math.cos(Math.PI / nb * (m + 0.5) * i);
                dct[m][i] = d * lift;
            }
        }
    }

    /**
     * @param options framing and filterbank settings
     * @return MFCCs with Kaldi's 13 cepstra and lifter 22
     */
    public static Mfcc of(FbankOptions options) {
        return new Mfcc(options, DEFAULT_NUM_CEPS, DEFAULT_CEPSTRAL_LIFTER);
    }

    /**
     * HuBERT's MFCC settings: {@code kaldi.mfcc(sample_frequency=sampleRate, use_energy=False)}, that is
     * Kaldi's defaults (23 mel bins, 13 cepstra, lifter 22, 25 ms / 10 ms povey frames), dither 0.
     *
     * @param sampleRate input rate in Hz (HuBERT uses 16000)
     * @return the MFCC extractor; use {@link #computeWithDeltas(float[])} for the 39-dim features
     */
    public static Mfcc hubert(int sampleRate) {
        return of(FbankOptions.defaults(sampleRate));
    }

    /** @return the framing and filterbank settings */
    public FbankOptions options() {
        return fbank.options();
    }

    /** @return cepstra per frame */
    public int numCeps() {
        return numCeps;
    }

    /** @return the lifter coefficient */
    public double cepstralLifter() {
        return cepstralLifter;
    }

    /**
     * @param waveform one channel at {@link FbankOptions#sampleRate()}
     * @return {@code [frames][numCeps]}
     */
    public float[][] compute(float[] waveform) {
        boolean energy = fbank.options().useEnergy();
        double[][] fb = fbank.computeDouble(waveform, energy);
        int off = energy ? 1 : 0;
        int nb = dct.length;
        float[][] out = new float[fb.length][numCeps];
        for (int t = 0; t < fb.length; t++) {
            double[] row = fb[t];
            for (int i = 0; i < numCeps; i++) {
                double acc = 0;
                for (int m = 0; m < nb; m++) {
                    acc += row[off + m] * dct[m][i];
                }
                out[t][i] = (float) acc;
            }
            if (energy) {
                out[t][0] = (float) row[0];
            }
        }
        return out;
    }

    /**
     * MFCCs, deltas and delta-deltas (window 5), concatenated per frame as HuBERT does.
     *
     * @param waveform one channel
     * @return {@code [frames][3 * numCeps]}
     */
    public float[][] computeWithDeltas(float[] waveform) {
        return Deltas.appendDeltasAndAccelerations(compute(waveform), Deltas.DEFAULT_WIN_LENGTH);
    }
}
