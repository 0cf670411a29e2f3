package org.selfsup4j.vision.eval;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Linear probe: multinomial logistic regression on frozen features, standardised with the training
 * set's per-dimension mean and std, trained by mini-batch SGD with Nesterov momentum, a cosine
 * learning-rate decay and L2 weight decay, in double precision. Deterministic for a seed.
 *
 * <pre>
 *   x' = (x - mean) / std,   p = softmax(W x' + b),   loss = mean CE(p, y) + wd/2 |W|^2
 * </pre>
 */
public final class LinearProbe {
    /** Passes over the training features. */
    public static final int DEFAULT_EPOCHS = 100;
    /** Base learning rate. */
    public static final double DEFAULT_LR = 0.1;
    /** L2 on the weights. */
    public static final double DEFAULT_WEIGHT_DECAY = 5e-4;
    /** Mini-batch size. */
    public static final int DEFAULT_BATCH = 256;
    private static final double MOMENTUM = 0.9;

    private final int epochs;
    private final double lr;
    private final double weightDecay;
    private final long seed;
    private double[][] w;
    private double[] b;
    private double[] mean;
    private double[] std;

    /**
     * @param epochs passes, &gt; 0
     * @param lr base learning rate, &gt; 0
     * @param weightDecay L2 weight, &gt;= 0
     * @param seed shuffling seed
     */
    public LinearProbe(int epochs, double lr, double weightDecay, long seed) {
        if (epochs <= 0 || !(lr > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("LinearProbe: epochs, lr must be > 0 and weightDecay >= 0, got "
                    + epochs + ", " + lr + ", " + weightDecay);
        }
        this.epochs = epochs;
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.seed = seed;
    }

    /** The defaults. */
    public LinearProbe(long seed) {
        this(DEFAULT_EPOCHS, DEFAULT_LR, DEFAULT_WEIGHT_DECAY, seed);
    }

    /**
     * Trains on labelled features.
     *
     * @param features {@code [N, D]}
     * @param labels N labels in {@code [0, classes)}
     * @param classes number of classes
     * @return this probe
     */
    public LinearProbe fit(INDArray features, int[] labels, int classes) {
        double[][] x = toRows(features);
        if (x.length != labels.length) {
            throw new IllegalArgumentException("LinearProbe.fit: " + x.length + " rows but " + labels.length + " labels");
        }
        int n = x.length;
        int d = x[0].length;
        mean = new double[d];
        std = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / n;
            }
        }
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j]) + 1e-6;
        }
        for (double[] r : x) {
            standardize(r);
        }
        w = new double[classes][d];
        b = new double[classes];
        double[][] vw = new double[classes][d];
        double[] vb = new double[classes];
        double[][] gw = new double[classes][d];
        double[] gb = new double[classes];
        double[] p = new double[classes];
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        SplittableRandom rng = new SplittableRandom(seed);
        int steps = epochs * ((n + DEFAULT_BATCH - 1) / DEFAULT_BATCH);
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int s = 0; s < n; s += DEFAULT_BATCH) {
                int end = Math.min(n, s + DEFAULT_BATCH);
                for (int c = 0; c < classes; c++) {
                    java.util.Arrays.fill(gw[c], 0);
                }
                java.util.Arrays.fill(gb, 0);
                for (int ii = s; ii < end; ii++) {
                    double[] r = x[order[ii]];
                    softmax(r, p);
                    p[labels[order[ii]]] -= 1;
                    for (int c = 0; c < classes; c++) {
                        double g = p[c];
                        gb[c] += g;
                        double[] gwc = gw[c];
                        for (int j = 0; j < d; j++) {
                            gwc[j] += g * r[j];
                        }
                    }
                }
                double inv = 1.0 / (end - s);
                double rate = lr * 0.5 * (1 + Math.cos(Math.PI * step / steps));
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j < d; j++) {
                        double g = gw[c][j] * inv + weightDecay * w[c][j];
                        vw[c][j] = MOMENTUM * vw[c][j] + g;
                        w[c][j] -= rate * (g + MOMENTUM * vw[c][j]);
                    }
                    double g = gb[c] * inv;
                    vb[c] = MOMENTUM * vb[c] + g;
                    b[c] -= rate * (g + MOMENTUM * vb[c]);
                }
                step++;
            }
        }
        return this;
    }

    /**
     * @param features {@code [Q, D]}
     * @return the predicted classes
     */
    public int[] predict(INDArray features) {
        if (w == null) {
            throw new IllegalStateException("LinearProbe.predict: call fit first");
        }
        double[][] x = toRows(features);
        if (x[0].length != mean.length) {
            throw new IllegalArgumentException("LinearProbe.predict: expected " + mean.length + " features, got "
                    + x[0].length);
        }
        int[] out = new int[x.length];
        double[] p = new double[b.length];
        for (int i = 0; i < x.length; i++) {
            standardize(x[i]);
            logits(x[i], p);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** @return top-1 accuracy of {@link #predict} against the labels */
    public double accuracy(INDArray features, int[] labels) {
        int[] p = predict(features);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == labels[i] ? 1 : 0;
        }
        return ok / (double) p.length;
    }

    /**
     * Fits on one set and scores on another, with the defaults.
     *
     * @return top-1 accuracy on the test features
     */
    public static double evaluate(INDArray trainF, int[] trainY, INDArray testF, int[] testY, int classes, long seed) {
        return new LinearProbe(seed).fit(trainF, trainY, classes).accuracy(testF, testY);
    }

    private void standardize(double[] r) {
        for (int j = 0; j < r.length; j++) {
            r[j] = (r[j] - mean[j]) / std[j];
        }
    }

    private void logits(double[] r, double[] out) {
        for (int c = 0; c < b.length; c++) {
            double s = b[c];
            double[] wc = w[c];
            for (int j = 0; j < r.length; j++) {
                s += wc[j] * r[j];
            }
            out[c] = s;
        }
    }

    private void softmax(double[] r, double[] out) {
        logits(r, out);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : out) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
    }

    private static double[][] toRows(INDArray f) {
        if (f.rank() != 2 || f.size(0) == 0) {
            throw new IllegalArgumentException("LinearProbe: expected features [N, D] with N > 0, got "
                    + java.util.Arrays.toString(f.shape()));
        }
        return f.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }
}
