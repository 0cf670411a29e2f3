package org.selfsup4j.speech.features;

/** The window applied to each frame, as in Kaldi / {@code torchaudio.compliance.kaldi}. */
enum FrameWindow {
    /** Hann window raised to the power 0.85 (Kaldi's default). */
    POVEY,
    /** Symmetric Hann window. */
    HANNING,
    /** Symmetric Hamming window, 0.54 - 0.46 cos. */
    HAMMING,
    /** All ones. */
    RECTANGULAR,
    /** Generalised Blackman window with coefficient {@link FbankOptions#blackmanCoeff()}. */
    BLACKMAN;

    /**
     * @param size window length, at least 2
     * @param blackmanCoeff the Blackman coefficient (used by {@link #BLACKMAN} only)
     * @return the window samples
     */
    double[] samples(int size, double blackmanCoeff) {
        double[] w = new double[size];
        double a = 2 * Math.PI / (size - 1);
        for (int i = 0; i < size; i++) {
            double hann = 0.5 - 0.5 * Math.cos(a * i);
            switch (this) {
                case POVEY:
                    w[i] = Math.pow(hann, 0.85);
                    break;
                case HANNING:
                    w[i] = hann;
                    break;
                case HAMMING:
                    w[i] = 0.54 - 0.46 * Math.cos(a * i);
                    break;
                case RECTANGULAR:
                    w[i] = 1;
                    break;
                case BLACKMAN:
                    w[i] = blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
                    break;
                default:
                    throw new IllegalStateException("FrameWindow: unhandled " + this);
            }
        }
        return w;
    }
}
