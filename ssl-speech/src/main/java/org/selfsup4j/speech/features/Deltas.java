package org.selfsup4j.speech.features;

/**
 * Time derivatives of features, matching {@code torchaudio.functional.compute_deltas(x, win_length,
 * mode="replicate")} (torchaudio 0.13) applied along time:
 * <pre>
 *   n     = (winLength - 1) / 2
 *   d[t]  = sum_{k=-n..n} k * c[clamp(t + k, 0, T - 1)] / (n (n + 1) (2n + 1) / 3)
 * </pre>
 * Shapes: {@code float[T][D]} in, {@code float[T][D]} out (time-major; torchaudio's input is
 * {@code (D, T)}). Stateless and thread-safe.
 */
public final class Deltas {
    /** torchaudio's and Kaldi's default window: 5 frames (n = 2). */
    public static final int DEFAULT_WIN_LENGTH = 5;

    private Deltas() {
    }

    /**
     * @param features {@code [T][D]}
     * @param winLength window length, at least 3 (even lengths act as the odd length below them)
     * @return {@code [T][D]} deltas
     */
    public static float[][] compute(float[][] features, int winLength) {
        if (winLength < 3) {
            throw new IllegalArgumentException("Deltas.compute: winLength must be at least 3, got " + winLength);
        }
        int frames = features.length;
        int dims = frames == 0 ? 0 : features[0].length;
        int n = (winLength - 1) / 2;
        double denom = n * (n + 1) * (2.0 * n + 1) / 3.0;
        float[][] out = new float[frames][dims];
        for (int t = 0; t < frames; t++) {
            if (features[t].length != dims) {
                throw new IllegalArgumentException("Deltas.compute: every frame must have " + dims
                        + " values, frame " + t + " has " + features[t].length);
            }
        }
        for (int t = 0; t < frames; t++) {
            for (int d = 0; d < dims; d++) {
                double acc = 0;
                for (int k = 1; k <= n; k++) {
                    int a = Math.min(frames - 1, t + k);
                    int b = Math.max(0, t - k);
                    acc += k * ((double) features[a][d] - features[b][d]);
                }
                out[t][d] = (float) (acc / denom);
            }
        }
        return out;
    }

    /**
     * @param features {@code [T][D]}
     * @return deltas with the default window of 5
     */
    public static float[][] compute(float[][] features) {
        return compute(features, DEFAULT_WIN_LENGTH);
    }

    /**
     * Features followed by their deltas and delta-deltas, as HuBERT's feature dump concatenates them.
     *
     * @param features {@code [T][D]}
     * @param winLength delta window
     * @return {@code [T][3D]}: {@code [c, delta(c), delta(delta(c))]} per frame
     */
    public static float[][] appendDeltasAndAccelerations(float[][] features, int winLength) {
        float[][] d1 = compute(features, winLength);
        float[][] d2 = compute(d1, winLength);
        int frames = features.length;
        float[][] out = new float[frames][];
        for (int t = 0; t < frames; t++) {
            int dims = features[t].length;
            out[t] = new float[3 * dims];
            System.arraycopy(features[t], 0, out[t], 0, dims);
            System.arraycopy(d1[t], 0, out[t], dims, dims);
            System.arraycopy(d2[t], 0, out[t], 2 * dims, dims);
        }
        return out;
    }
}
