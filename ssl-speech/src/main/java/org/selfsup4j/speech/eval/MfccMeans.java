package org.selfsup4j.speech.eval;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.speech.features.Mfcc;

/**
 * The MFCC baselines' features: each utterance's MFCCs with deltas, averaged over its frames
 * ({@link #of}), or their mean and standard deviation over its frames ({@link #meanAndStd}, the usual
 * "MFCC statistics" utterance features of speaker and keyword baselines).
 */
public final class MfccMeans {
    private MfccMeans() {
    }

    /**
     * @param mfcc the features (e.g. {@link Mfcc#hubert(int)}); not thread-safe, so not shared across threads
     * @param xs utterances, each at least one frame long
     * @return {@code [xs.size(), 3 * numCeps]} doubles
     */
    public static INDArray of(Mfcc mfcc, List<float[]> xs) {
        double[][] out = new double[xs.size()][];
        for (int i = 0; i < xs.size(); i++) {
            float[][] m = mfcc.computeWithDeltas(xs.get(i));
            double[] mean = new double[m[0].length];
            for (float[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    mean[j] += row[j] / m.length;
                }
            }
            out[i] = mean;
        }
        return Nd4j.createFromArray(out);
    }

    /**
     * @param mfcc the features (e.g. {@link Mfcc#hubert(int)}); not thread-safe, so not shared across threads
     * @param xs utterances, each at least one frame long
     * @return {@code [xs.size(), 6 * numCeps]} doubles: the frame mean of each coefficient, then its
     *     (population) standard deviation
     */
    public static INDArray meanAndStd(Mfcc mfcc, List<float[]> xs) {
        double[][] out = new double[xs.size()][];
        for (int i = 0; i < xs.size(); i++) {
            float[][] m = mfcc.computeWithDeltas(xs.get(i));
            int d = m[0].length;
            double[] f = new double[2 * d];
            for (float[] row : m) {
                for (int j = 0; j < d; j++) {
                    f[j] += row[j];
                    f[d + j] += (double) row[j] * row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                f[j] /= m.length;
                f[d + j] = Math.sqrt(Math.max(0, f[d + j] / m.length - f[j] * f[j]));
            }
            out[i] = f;
        }
        return Nd4j.createFromArray(out);
    }
}
