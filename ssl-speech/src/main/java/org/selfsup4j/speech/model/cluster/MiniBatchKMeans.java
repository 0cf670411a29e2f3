package org.selfsup4j.speech.model.cluster;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Seeds;

/**
 * Mini-batch k-means (Sculley, "Web-Scale K-Means Clustering", WWW 2010) with k-means++ initialisation
 * (Arthur and Vassilvitskii, SODA 2007), as HuBERT's label pipeline uses (scikit-learn's
 * {@code MiniBatchKMeans}).
 *
 * <pre>
 *   init: c_1 uniform among the points; c_j drawn with probability proportional to D(x)^2 (distance to the nearest chosen centre)
 *   each iteration: draw a batch B; assign each x in B to its nearest centre c;
 *                   n_c += 1;  c += (x - c) / n_c        (per-centre learning rate 1 / n_c)
 * </pre>
 *
 * <p>Every random draw comes from one {@link SplittableRandom} seeded with {@link #seed}, so the same
 * data and settings give bit-identical centres. k-means++ runs on at most {@code initSampleSize}
 * points. Differences from scikit-learn: one k-means++ trial per centre (no greedy candidates), no
 * reassignment of small clusters, no early stopping.
 *
 * @param k clusters
 * @param batchSize points per mini-batch
 * @param iterations mini-batch updates
 * @param initSampleSize points k-means++ looks at
 * @param seed the random seed
 */
public record MiniBatchKMeans(int k, int batchSize, int iterations, int initSampleSize, long seed) {
    /** scikit-learn's default batch size (1024 since 1.2; HuBERT's script passes 10000). */
    public static final int DEFAULT_BATCH_SIZE = 1024;
    /** Mini-batch updates when not given. */
    public static final int DEFAULT_ITERATIONS = 100;
    /** Points k-means++ considers when not given. */
    public static final int DEFAULT_INIT_SAMPLE = 10000;

    /** Validates. */
    public MiniBatchKMeans {
        if (k < 1 || batchSize < 1 || iterations < 0 || initSampleSize < 1) {
            throw new IllegalArgumentException("MiniBatchKMeans: need k, batchSize, initSampleSize >= 1 and iterations >= 0, got "
                    + k + ", " + batchSize + ", " + iterations + ", " + initSampleSize);
        }
    }

    /** k clusters with the default batch size, iterations and init sample. */
    public static MiniBatchKMeans of(int k, long seed) {
        return new MiniBatchKMeans(k, DEFAULT_BATCH_SIZE, DEFAULT_ITERATIONS, DEFAULT_INIT_SAMPLE, seed);
    }

    /**
     * Fits centres to the rows of {@code data}.
     *
     * @param data {@code [M, D]} with M &gt;= k
     */
    public KMeansModel fit(INDArray data) {
        if (data == null || data.rank() != 2 || data.size(0) < k) {
            throw new IllegalArgumentException("MiniBatchKMeans.fit: data must be [M, D] with M >= k = " + k + ", got "
                    + (data == null ? "null" : java.util.Arrays.toString(data.shape())));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int m = (int) data.size(0);
        int d = (int) data.size(1);
        double[] x = data.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] c = kMeansPlusPlus(x, m, d, rng);
        double[] counts = new double[k];
        int bs = Math.min(batchSize, m);
        int[] batch = new int[bs];
        int[] assign = new int[bs];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < bs; i++) {
                batch[i] = rng.nextInt(m);
            }
            // assign the whole batch to the centres of the start of the iteration, then update (Sculley)
            for (int i = 0; i < bs; i++) {
                assign[i] = nearest(x, batch[i], c, d);
            }
            for (int i = 0; i < bs; i++) {
                int j = assign[i];
                counts[j]++;
                double eta = 1.0 / counts[j];
                int xo = batch[i] * d;
                int co = j * d;
                for (int f = 0; f < d; f++) {
                    c[co + f] += eta * (x[xo + f] - c[co + f]);
                }
            }
        }
        return new KMeansModel(Nd4j.create(c, new long[] {k, d}, 'c'));
    }

    private double[] kMeansPlusPlus(double[] x, int m, int d, SplittableRandom rng) {
        int s = Math.min(m, Math.max(initSampleSize, k));
        // all points in order when they fit the sample (no draws), else a uniform draw of s of them
        int[] sample = s == m ? IntStream.range(0, m).toArray() : Seeds.sampleWithoutReplacement(m, s, rng);
        double[] c = new double[k * d];
        double[] dist = new double[s];
        int first = sample[rng.nextInt(s)];
        System.arraycopy(x, first * d, c, 0, d);
        for (int i = 0; i < s; i++) {
            dist[i] = sq(x, sample[i], c, 0, d);
        }
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : dist) {
                total += v;
            }
            int chosen;
            if (total <= 0) {
                chosen = sample[rng.nextInt(s)];
            } else {
                double r = rng.nextDouble() * total;
                int i = 0;
                double acc = dist[0];
                while (acc < r && i < s - 1) {
                    i++;
                    acc += dist[i];
                }
                chosen = sample[i];
            }
            System.arraycopy(x, chosen * d, c, j * d, d);
            for (int i = 0; i < s; i++) {
                dist[i] = Math.min(dist[i], sq(x, sample[i], c, j, d));
            }
        }
        return c;
    }

    private int nearest(double[] x, int row, double[] c, int d) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double v = sq(x, row, c, j, d);
            if (v < bestD) {
                bestD = v;
                best = j;
            }
        }
        return best;
    }

    private static double sq(double[] x, int row, double[] c, int centre, int d) {
        double s = 0;
        int xo = row * d;
        int co = centre * d;
        for (int f = 0; f < d; f++) {
            double diff = x[xo + f] - c[co + f];
            s += diff * diff;
        }
        return s;
    }
}
