package org.selfsup4j.speech.features;

import org.selfsup4j.core.Checks;

/**
 * Framing and filterbank settings shared by {@link LogMelSpectrogram} and {@link Mfcc}. Names and
 * defaults are those of {@code torchaudio.compliance.kaldi.fbank} (torchaudio 0.13), which are Kaldi's.
 *
 * <p>Not supported (fixed at the torchaudio default or at the value that makes output deterministic):
 * {@code dither} (0), {@code subtract_mean} (false), {@code htk_compat} (false), VTLN warping
 * ({@code vtln_warp = 1}), {@code min_duration} (0), {@code channel} (pass one channel).
 *
 * @param sampleRate samples per second of the input ({@code sample_frequency})
 * @param frameLengthMs frame length in milliseconds ({@code frame_length})
 * @param frameShiftMs frame shift in milliseconds ({@code frame_shift})
 * @param numMelBins number of triangular mel bins, more than 3 ({@code num_mel_bins})
 * @param lowFreq low cutoff of the mel bins in Hz ({@code low_freq})
 * @param highFreq high cutoff in Hz; zero or negative means an offset from Nyquist ({@code high_freq})
 * @param preemphasisCoefficient pre-emphasis in [0, 1] ({@code preemphasis_coefficient})
 * @param removeDcOffset subtract each frame's mean ({@code remove_dc_offset})
 * @param window the frame window ({@code window_type})
 * @param blackmanCoeff coefficient of the Blackman window ({@code blackman_coeff})
 * @param roundToPowerOfTwo zero-pad each frame to a power of two for the FFT ({@code round_to_power_of_two})
 * @param snipEdges only frames that fit completely; otherwise reflect at the ends ({@code snip_edges})
 * @param rawEnergy energy before pre-emphasis and windowing ({@code raw_energy})
 * @param energyFloor floor on the energy term, 0 for none ({@code energy_floor})
 * @param useEnergy prepend the log energy as an extra first column ({@code use_energy})
 * @param usePower power spectrum (true) or magnitude ({@code use_power})
 */
public record FbankOptions(double sampleRate, double frameLengthMs, double frameShiftMs, int numMelBins,
        double lowFreq, double highFreq, double preemphasisCoefficient, boolean removeDcOffset,
        FrameWindow window, double blackmanCoeff, boolean roundToPowerOfTwo, boolean snipEdges,
        boolean rawEnergy, double energyFloor, boolean useEnergy, boolean usePower) {

    /** Kaldi's frame length: 25 ms. */
    public static final double DEFAULT_FRAME_LENGTH_MS = 25.0;
    /** Kaldi's frame shift: 10 ms. */
    public static final double DEFAULT_FRAME_SHIFT_MS = 10.0;
    /** Kaldi's / torchaudio's default number of mel bins: 23 (80 is common for log-mel inputs). */
    public static final int DEFAULT_NUM_MEL_BINS = 23;
    /** Kaldi's low cutoff: 20 Hz. */
    public static final double DEFAULT_LOW_FREQ = 20.0;
    /** Kaldi's high cutoff: 0, meaning Nyquist. */
    public static final double DEFAULT_HIGH_FREQ = 0.0;
    /** Kaldi's pre-emphasis: 0.97. */
    public static final double DEFAULT_PREEMPHASIS = 0.97;
    /** Kaldi's Blackman coefficient: 0.42. */
    public static final double DEFAULT_BLACKMAN_COEFF = 0.42;
    /** torchaudio's energy floor: 1.0. */
    public static final double DEFAULT_ENERGY_FLOOR = 1.0;

    /** Validates every setting. */
    public FbankOptions {
        check(sampleRate > 0, "sampleRate must be positive", sampleRate);
        check(frameLengthMs > 0, "frameLengthMs must be positive", frameLengthMs);
        check(frameShiftMs > 0, "frameShiftMs must be positive", frameShiftMs);
        check(numMelBins > 3, "numMelBins must be more than 3", numMelBins);
        check(preemphasisCoefficient >= 0 && preemphasisCoefficient <= 1, "preemphasisCoefficient must be in"
                + " [0, 1]", preemphasisCoefficient);
        check(energyFloor >= 0, "energyFloor must be non-negative", energyFloor);
        Checks.notNull("FbankOptions", "window", window);
        int ws = windowSize(sampleRate, frameLengthMs);
        check(ws >= 2, "frameLengthMs * sampleRate / 1000 must give at least 2 samples, frameLengthMs is",
                frameLengthMs);
        check(windowShift(sampleRate, frameShiftMs) > 0, "frameShiftMs * sampleRate / 1000 must give at least 1"
                + " sample, frameShiftMs is", frameShiftMs);
        int padded = roundToPowerOfTwo ? nextPowerOfTwo(ws) : ws;
        check(padded % 2 == 0, "the padded window must have even length (use roundToPowerOfTwo or change"
                + " frameLengthMs); window length is", ws);
        double nyquist = 0.5 * sampleRate;
        double high = highFreq <= 0 ? highFreq + nyquist : highFreq;
        if (!(lowFreq >= 0 && lowFreq < nyquist && high > 0 && high <= nyquist && lowFreq < high)) {
            throw new IllegalArgumentException("FbankOptions: expected 0 <= lowFreq < highFreq <= Nyquist ("
                    + nyquist + " Hz), got lowFreq " + lowFreq + " and highFreq " + highFreq + " (resolved to "
                    + high + ")");
        }
    }

    private static void check(boolean ok, String what, Object got) {
        if (!ok) {
            throw new IllegalArgumentException("FbankOptions: " + what + ", got " + got);
        }
    }

    /**
     * @param sampleRate input rate in Hz
     * @return Kaldi's defaults at that rate (23 mel bins, 25 ms / 10 ms, povey window, pre-emphasis 0.97)
     */
    public static FbankOptions defaults(double sampleRate) {
        return builder(sampleRate).build();
    }

    /**
     * @param sampleRate input rate in Hz
     * @return a builder starting from Kaldi's defaults
     */
    public static Builder builder(double sampleRate) {
        return new Builder(sampleRate);
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        Builder b = new Builder(sampleRate);
        b.frameLengthMs = frameLengthMs;
        b.frameShiftMs = frameShiftMs;
        b.numMelBins = numMelBins;
        b.lowFreq = lowFreq;
        b.highFreq = highFreq;
        b.preemphasisCoefficient = preemphasisCoefficient;
        b.removeDcOffset = removeDcOffset;
        b.window = window;
        b.blackmanCoeff = blackmanCoeff;
        b.roundToPowerOfTwo = roundToPowerOfTwo;
        b.snipEdges = snipEdges;
        b.rawEnergy = rawEnergy;
        b.energyFloor = energyFloor;
        b.useEnergy = useEnergy;
        b.usePower = usePower;
        return b;
    }

    /** @return samples per frame, {@code (int) (sampleRate * frameLengthMs * 0.001)} as torchaudio computes it */
    public int windowSize() {
        return windowSize(sampleRate, frameLengthMs);
    }

    /** @return samples between frame starts */
    public int windowShift() {
        return windowShift(sampleRate, frameShiftMs);
    }

    /** @return the FFT length: {@link #windowSize()}, rounded up to a power of two if asked */
    public int paddedWindowSize() {
        return roundToPowerOfTwo ? nextPowerOfTwo(windowSize()) : windowSize();
    }

    /**
     * @param numSamples input length
     * @return the number of frames Kaldi produces for that length
     */
    public int numFrames(int numSamples) {
        int ws = windowSize();
        int shift = windowShift();
        if (snipEdges) {
            return numSamples < ws ? 0 : 1 + (numSamples - ws) / shift;
        }
        return (numSamples + shift / 2) / shift;
    }

    private static int windowSize(double sampleRate, double frameLengthMs) {
        return (int) (sampleRate * frameLengthMs * 0.001);
    }

    private static int windowShift(double sampleRate, double frameShiftMs) {
        return (int) (sampleRate * frameShiftMs * 0.001);
    }

    static int nextPowerOfTwo(int x) {
        return x <= 1 ? 1 : Integer.highestOneBit(x - 1) << 1;
    }

    /** Builder for {@link FbankOptions}; starts from Kaldi's defaults. */
    public static final class Builder {
        private final double sampleRate;
        private double frameLengthMs = DEFAULT_FRAME_LENGTH_MS;
        private double frameShiftMs = DEFAULT_FRAME_SHIFT_MS;
        private int numMelBins = DEFAULT_NUM_MEL_BINS;
        private double lowFreq = DEFAULT_LOW_FREQ;
        private double highFreq = DEFAULT_HIGH_FREQ;
        private double preemphasisCoefficient = DEFAULT_PREEMPHASIS;
        private boolean removeDcOffset = true;
        private FrameWindow window = FrameWindow.POVEY;
        private double blackmanCoeff = DEFAULT_BLACKMAN_COEFF;
        private boolean roundToPowerOfTwo = true;
        private boolean snipEdges = true;
        private boolean rawEnergy = true;
        private double energyFloor = DEFAULT_ENERGY_FLOOR;
        private boolean useEnergy = false;
        private boolean usePower = true;

        private Builder(double sampleRate) {
            this.sampleRate = sampleRate;
        }

        /**
         * @param v frame length in ms
         * @return this builder
         */
        public Builder frameLengthMs(double v) {
            frameLengthMs = v;
            return this;
        }

        /**
         * @param v frame shift in ms
         * @return this builder
         */
        public Builder frameShiftMs(double v) {
            frameShiftMs = v;
            return this;
        }

        /**
         * @param v number of mel bins
         * @return this builder
         */
        public Builder numMelBins(int v) {
            numMelBins = v;
            return this;
        }

        /**
         * @param v low cutoff in Hz
         * @return this builder
         */
        public Builder lowFreq(double v) {
            lowFreq = v;
            return this;
        }

        /**
         * @param v high cutoff in Hz (&lt;= 0: offset from Nyquist)
         * @return this builder
         */
        public Builder highFreq(double v) {
            highFreq = v;
            return this;
        }

        /**
         * @param v pre-emphasis coefficient
         * @return this builder
         */
        public Builder preemphasisCoefficient(double v) {
            preemphasisCoefficient = v;
            return this;
        }

        /**
         * @param v whether to subtract each frame's mean
         * @return this builder
         */
        public Builder removeDcOffset(boolean v) {
            removeDcOffset = v;
            return this;
        }

        /**
         * @param v frame window
         * @return this builder
         */
        public Builder window(FrameWindow v) {
            window = v;
            return this;
        }

        /**
         * @param v Blackman coefficient
         * @return this builder
         */
        public Builder blackmanCoeff(double v) {
            blackmanCoeff = v;
            return this;
        }

        /**
         * @param v whether to zero-pad frames to a power of two
         * @return this builder
         */
        public Builder roundToPowerOfTwo(boolean v) {
            roundToPowerOfTwo = v;
            return this;
        }

        /**
         * @param v whether to keep only whole frames
         * @return this builder
         */
        public Builder snipEdges(boolean v) {
            snipEdges = v;
            return this;
        }

        /**
         * @param v whether energy is taken before pre-emphasis and windowing
         * @return this builder
         */
        public Builder rawEnergy(boolean v) {
            rawEnergy = v;
            return this;
        }

        /**
         * @param v floor on the energy term (0: none)
         * @return this builder
         */
        public Builder energyFloor(double v) {
            energyFloor = v;
            return this;
        }

        /**
         * @param v whether to add the log energy as first column
         * @return this builder
         */
        public Builder useEnergy(boolean v) {
            useEnergy = v;
            return this;
        }

        /**
         * @param v power (true) or magnitude spectrum
         * @return this builder
         */
        public Builder usePower(boolean v) {
            usePower = v;
            return this;
        }

        /** @return the validated options */
        public FbankOptions build() {
            return new FbankOptions(sampleRate, frameLengthMs, frameShiftMs, numMelBins, lowFreq, highFreq,
                    preemphasisCoefficient, removeDcOffset, window, blackmanCoeff, roundToPowerOfTwo, snipEdges,
                    rawEnergy, energyFloor, useEnergy, usePower);
        }
    }
}
