package org.selfsup4j.vision.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Weighted k-nearest-neighbour classification on L2-normalised features, the protocol of Wu et al.
 * ("Unsupervised Feature Learning via Non-Parametric Instance Discrimination", CVPR 2018) that
 * solo-learn and lightly report:
 *
 * <pre>
 *   s_i = cos(f, f_i) for the k most similar training features
 *   score(c) = sum_{i in top-k, y_i = c} exp(s_i / T),      prediction = argmax_c score(c)
 * </pre>
 *
 * Defaults k = 200, T = 0.07. Ties go to the lower class index.
 */
public final class KnnClassifier {
    /** Neighbours (Wu et al.). */
    public static final int DEFAULT_K = 200;
    /** Vote temperature (Wu et al.). */
    public static final double DEFAULT_TEMPERATURE = 0.07;
    private static final int CHUNK = 512;

    private final int k;
    private final double temperature;

    /**
     * @param k neighbours, &gt; 0
     * @param temperature vote temperature, &gt; 0
     */
    public KnnClassifier(int k, double temperature) {
        if (k <= 0 || !(temperature > 0)) {
            throw new IllegalArgumentException("KnnClassifier: k and temperature must be > 0, got " + k + ", "
                    + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    /** The defaults, k = 200 and T = 0.07. */
    public KnnClassifier() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE);
    }

    /**
     * Predicts the class of each query.
     *
     * @param train {@code [M, D]} training features
     * @param trainLabels M labels in {@code [0, classes)}
     * @param query {@code [Q, D]} features to classify
     * @param classes number of classes
     * @return Q predictions
     */
    public int[] predict(INDArray train, int[] trainLabels, INDArray query, int classes) {
        if (train.rank() != 2 || query.rank() != 2 || train.size(1) != query.size(1)) {
            throw new IllegalArgumentException("KnnClassifier.predict: expected [M, D] and [Q, D], got "
                    + java.util.Arrays.toString(train.shape()) + " and " + java.util.Arrays.toString(query.shape()));
        }
        if (trainLabels.length != train.size(0)) {
            throw new IllegalArgumentException("KnnClassifier.predict: " + train.size(0) + " training rows but "
                    + trainLabels.length + " labels");
        }
        INDArray tn = normalizeRows(train);
        INDArray qn = normalizeRows(query);
        int m = (int) train.size(0);
        int q = (int) query.size(0);
        int kk = Math.min(k, m);
        int[] pred = new int[q];
        for (int start = 0; start < q; start += CHUNK) {
            int end = Math.min(q, start + CHUNK);
            INDArray sims = qn.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).mmul(tn.transpose());
            float[] row = new float[m];
            for (int r = 0; r < end - start; r++) {
                for (int j = 0; j < m; j++) {
                    row[j] = sims.getFloat(r, j);
                }
                pred[start + r] = vote(row, trainLabels, kk, classes);
            }
        }
        return pred;
    }

    /**
     * Top-1 accuracy on labelled queries.
     *
     * @return the fraction of queries whose prediction equals the label
     */
    public double accuracy(INDArray train, int[] trainLabels, INDArray query, int[] queryLabels, int classes) {
        int[] p = predict(train, trainLabels, query, classes);
        int ok = 0;
        for (int i = 0; i < p.length; i++) {
            ok += p[i] == queryLabels[i] ? 1 : 0;
        }
        return ok / (double) p.length;
    }

    private int vote(float[] sims, int[] labels, int kk, int classes) {
        // Partial selection of the k largest by a bounded min-heap over indices.
        int[] heap = new int[kk];
        int size = 0;
        for (int j = 0; j < sims.length; j++) {
            if (size < kk) {
                heap[size] = j;
                siftUp(heap, size++, sims);
            } else if (sims[j] > sims[heap[0]]) {
                heap[0] = j;
                siftDown(heap, size, sims);
            }
        }
        double[] score = new double[classes];
        for (int i = 0; i < size; i++) {
            int j = heap[i];
            score[labels[j]] += Math.exp(sims[j] / temperature);
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (score[c] > score[best]) {
                best = c;
            }
        }
        return best;
    }

    private static void siftUp(int[] h, int i, float[] v) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (v[h[i]] >= v[h[p]]) {
                return;
            }
            int t = h[i];
            h[i] = h[p];
            h[p] = t;
            i = p;
        }
    }

    private static void siftDown(int[] h, int n, float[] v) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int s = i;
            if (l < n && v[h[l]] < v[h[s]]) {
                s = l;
            }
            if (r < n && v[h[r]] < v[h[s]]) {
                s = r;
            }
            if (s == i) {
                return;
            }
            int t = h[i];
            h[i] = h[s];
            h[s] = t;
            i = s;
        }
    }

    static INDArray normalizeRows(INDArray x) {
        INDArray f = x.castTo(DataType.FLOAT).dup();
        INDArray norms = f.norm2(1).addi(1e-12).reshape(f.size(0), 1);
        return f.diviColumnVector(norms);
    }

    /** @return k */
    public int k() {
        return k;
    }

    /** @return T */
    public double temperature() {
        return temperature;
    }

}
