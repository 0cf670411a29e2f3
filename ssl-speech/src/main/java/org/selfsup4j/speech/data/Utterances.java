package org.selfsup4j.speech.data;

import java.util.ArrayList;
import java.util.List;

/** Whole recordings of a dataset as the speech methods train and probe on them. */
public final class Utterances {
    /** Added to the standard deviation so that a silent recording does not divide by zero. */
    public static final double STD_EPSILON = 1e-5;

    private Utterances() {
    }

    /**
     * Every recording of {@code d}, mixed to mono, resampled to {@code sampleRate} and standardised to
     * zero mean and unit variance (each on its own statistics, as wav2vec 2.0's {@code normalize}).
     *
     * @param d the recordings
     * @param sampleRate the rate to resample to
     * @return one waveform per recording, in the dataset's order
     */
    public static List<float[]> standardized(AudioFolderDataset d, int sampleRate) {
        List<float[]> xs = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            float[] x = d.loadMono(i, sampleRate);
            standardize(x);
            xs.add(x);
        }
        return xs;
    }

    /**
     * Standardises {@code x} in place: {@code (x - mean) / (std + }{@link #STD_EPSILON}{@code )}, the
     * waveform normalisation of training and probes (and of a pretrained speech encoder's input).
     *
     * @param x one waveform, non-empty; overwritten
     */
    public static void standardize(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / x.length) + STD_EPSILON;
        for (int j = 0; j < x.length; j++) {
            x[j] = (float) ((x[j] - mean) / sd);
        }
    }

    /** @return each recording's label index, in the dataset's order */
    public static int[] labels(AudioFolderDataset d) {
        int[] y = new int[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.get(i).labelIndex();
        }
        return y;
    }
}
