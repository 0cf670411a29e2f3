package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;

/**
 * Weighted k-nearest-neighbour classification of frozen features on cosine similarity, the protocol
 * of InstDisc (Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance
 * Discrimination", CVPR 2018) as implemented in solo-learn's {@code WeightedKNNClassifier}.
 *
 * <pre>
 * (optional) x := x - mean_train                  (train and test rows, see {@link #withCenterFeatures})
 * x&#770; = x / max(||x||_2, 1e-12)                 (train and test rows)
 * s_ij = x&#770;_i . x&#770;_j                              cosine similarity of test row i to train row j
 * N_i  = the k train rows with the largest s_ij   (k clipped to the train size)
 * score_i(c) = sum over j in N_i with y_j = c of exp(s_ij / T)
 * predict_i  = argmax_c score_i(c)                 (ties: the smallest class index)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th></tr>
 *   <tr><td>trainX</td><td>[N, D], any float or integer dtype (computed in float32, or float64 if either input is)</td></tr>
 *   <tr><td>trainY</td><td>int[N], classes 0..C-1, C = max(trainY) + 1</td></tr>
 *   <tr><td>testX</td><td>[M, D]</td></tr>
 *   <tr><td>result</td><td>int[M] predictions, or double[M][C] scores</td></tr>
 * </table>
 *
 * <p>Defaults, from the papers: {@link #DEFAULT_K} = 200, {@link #DEFAULT_TEMPERATURE} = 0.07, no
 * centring ({@link #DEFAULT_CENTER_FEATURES}).
 *
 * <p><b>Centring (deviation from InstDisc / solo-learn, off by default).</b> With
 * {@code withCenterFeatures(true)} the mean of the training rows is subtracted from train and test rows
 * before the L2 normalisation, so similarity is the cosine of the angle between deviations from the
 * training mean. It is off by default so that the protocol used for learned features stays the one
 * the papers report numbers with. It is meant for inputs that all lie in one orthant, such as raw
 * non-negative pixel counts: there every pairwise cosine is non-negative and the shared mean
 * component dominates each row, so similarities crowd together and {@code exp(s / T)} separates near from far neighbours poorly; a
 * k = 200 vote then lets many far rows through. On UCI optdigits (raw 0..16 counts, k = 200,
 * T = 0.07) accuracy is 0.9421 without and 0.9716 with centring. The mean is the training set's,
 * computed in the working dtype at every call, so no test statistic leaks into the neighbours.
 *
 * <p>Test rows are processed {@code chunkRows} at a time into a preallocated {@code [chunkRows, N]}
 * similarity buffer, so memory is {@code O(chunkRows * N)} beyond the normalised copies of the inputs
 * (10,000 x 50,000 with the default chunk uses a 51 MB buffer, not a 2 GB matrix). Instances are
 * immutable and thread-safe; buffers live for one call.
 *
 * @param k neighbours that vote, at least 1 (clipped to the train size at call time)
 * @param temperature vote temperature, positive and finite
 * @param chunkRows test rows per similarity block, at least 1
 * @param centerFeatures whether train and test rows are centred by the training mean before normalisation
 */
public record KnnClassifier(int k, double temperature, int chunkRows, boolean centerFeatures) {
    /** Neighbours that vote (InstDisc, solo-learn). */
    public static final int DEFAULT_K = 200;
    /** Temperature of the vote weights {@code exp(s / T)} (InstDisc, solo-learn). */
    public static final double DEFAULT_TEMPERATURE = 0.07;
    /** Test rows per similarity block. */
    public static final int DEFAULT_CHUNK_ROWS = 256;
    /** InstDisc / solo-learn normalise features without centring them. */
    public static final boolean DEFAULT_CENTER_FEATURES = false;
    /** Norm floor of the L2 normalisation, as {@code torch.nn.functional.normalize}. */
    static final double NORM_EPS = 1e-12;

    /** A classifier with {@link #DEFAULT_K}, {@link #DEFAULT_TEMPERATURE} and {@link #DEFAULT_CHUNK_ROWS}. */
    public KnnClassifier() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE, DEFAULT_CHUNK_ROWS);
    }

    /** A classifier with the given {@code k} and temperature, and {@link #DEFAULT_CHUNK_ROWS}. */
    public KnnClassifier(int k, double temperature) {
        this(k, temperature, DEFAULT_CHUNK_ROWS);
    }

    /**
     * @param k           neighbours that vote, at least 1 (clipped to the train size at call time)
     * @param temperature vote temperature, positive and finite
     * @param chunkRows   test rows per similarity block, at least 1
     */
    public KnnClassifier(int k, double temperature, int chunkRows) {
        this(k, temperature, chunkRows, DEFAULT_CENTER_FEATURES);
    }

    /**
     * A classifier with every setting given.
     *
     * @throws IllegalArgumentException if k, the temperature or chunkRows is out of range
     */
    public KnnClassifier {
        Checks.positive("KnnClassifier", "k", k);
        Checks.positive("KnnClassifier", "temperature", temperature);
        Checks.positive("KnnClassifier", "chunkRows", chunkRows);
    }

    // Withers, as the other immutable settings (Trainer.Config, DivergenceMonitor.Config) have: the
    // settings are the record's components, declared once, and every copy is checked by the constructor.

    /** @param value neighbours that vote, at least 1 @return this classifier with that k */
    public KnnClassifier withK(int value) {
        return new KnnClassifier(value, temperature, chunkRows, centerFeatures);
    }

    /** @param value vote temperature, positive and finite @return this classifier with that temperature */
    public KnnClassifier withTemperature(double value) {
        return new KnnClassifier(k, value, chunkRows, centerFeatures);
    }

    /** @param value test rows per similarity block, at least 1 @return this classifier with that block */
    public KnnClassifier withChunkRows(int value) {
        return new KnnClassifier(k, temperature, value, centerFeatures);
    }

    /**
     * @param value whether to subtract the training rows' mean from train and test rows before the L2
     *     normalisation (default {@link #DEFAULT_CENTER_FEATURES}; see the class comment for when it helps)
     * @return this classifier with that choice
     */
    public KnnClassifier withCenterFeatures(boolean value) {
        return new KnnClassifier(k, temperature, chunkRows, value);
    }

    /** Predicted class of each test row. */
    public int[] predict(INDArray trainX, int[] trainY, INDArray testX) {
        double[][] scores = scores("KnnClassifier.predict", trainX, trainY, testX);
        int[] out = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int best = 0;
            for (int c = 1; c < scores[i].length; c++) {
                if (scores[i][c] > scores[i][best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Fraction of test rows whose prediction equals {@code testY}.
     *
     * @throws IllegalArgumentException for bad shapes or labels, or when {@code trainY} or
     *                                  {@code testY} holds fewer than 2 classes (the accuracy would be
     *                                  1.0 whatever the features)
     */
    public double accuracy(INDArray trainX, int[] trainY, INDArray testX, int[] testY) {
        Checks.numericMatrix("KnnClassifier.accuracy", "testX", testX);
        Labels.numClasses("KnnClassifier.accuracy", "testY", testY, testX);
        Checks.numericMatrix("KnnClassifier.accuracy", "trainX", trainX);
        Labels.numClasses("KnnClassifier.accuracy", "trainY", trainY, trainX);
        Labels.atLeastTwoClasses("KnnClassifier.accuracy", "trainY", trainY);
        Labels.atLeastTwoClasses("KnnClassifier.accuracy", "testY", testY);
        return Labels.accuracy(predict(trainX, trainY, testX), testY);
    }

    /**
     * The weighted votes {@code score_i(c)} of every test row for every class {@code 0..C-1}
     * ({@code double[M][C]}); divide a row by its sum for class probabilities.
     */
    public double[][] scores(INDArray trainX, int[] trainY, INDArray testX) {
        return scores("KnnClassifier.scores", trainX, trainY, testX);
    }

    private double[][] scores(String where, INDArray trainX, int[] trainY, INDArray testX) {
        int numClasses = Labels.trainTestSplit(where, trainX, trainY, testX);
        DataType dt = trainX.dataType() == DataType.DOUBLE || testX.dataType() == DataType.DOUBLE
                ? DataType.DOUBLE : DataType.FLOAT;
        INDArray train = workingCopy(trainX, dt);
        INDArray test = workingCopy(testX, dt);
        if (centerFeatures) {
            INDArray mean = train.mean(0);
            train.subiRowVector(mean);
            test.subiRowVector(mean);
        }
        normalizeRows(train);
        normalizeRows(test);
        INDArray trainT = train.transpose();
        int n = train.rows();
        int m = test.rows();
        int kEff = Math.min(k, n);
        int rows = Math.min(chunkRows, m);
        INDArray full = Nd4j.create(dt, rows, n);
        INDArray tail = m % rows == 0 ? full : Nd4j.create(dt, m % rows, n);

        double[][] scores = new double[m][numClasses];
        double[] row = new double[n];
        double[] heapValues = new double[kEff];
        int[] heapIndices = new int[kEff];
        for (int start = 0; start < m; start += rows) {
            int end = Math.min(m, start + rows);
            INDArray sim = end - start == rows ? full : tail;
            INDArray block = test.get(NDArrayIndex.interval(start, end), NDArrayIndex.all());
            block.mmuli(trainT, sim);
            // ND4J M2.1's top_k op took 13 s for a 256 x 3,823 block with k = 200 (a busy 2-core VM): select in Java.
            float[] simF = dt == DataType.FLOAT ? sim.data().asFloat() : null;
            double[] simD = dt == DataType.DOUBLE ? sim.data().asDouble() : null;
            for (int r = 0; r < end - start; r++) {
                int base = r * n;
                if (simF != null) {
                    for (int j = 0; j < n; j++) {
                        row[j] = simF[base + j];
                    }
                } else {
                    System.arraycopy(simD, base, row, 0, n);
                }
                TopK.select(row, kEff, heapValues, heapIndices);
                double[] out = scores[start + r];
                for (int j = 0; j < kEff; j++) {
                    out[trainY[heapIndices[j]]] += Math.exp(heapValues[j] / temperature);
                }
            }
        }
        return scores;
    }

    private static INDArray workingCopy(INDArray x, DataType dt) {
        return x.dataType() == dt ? x.dup('c') : x.castTo(dt).dup('c');
    }

    private static void normalizeRows(INDArray c) {
        INDArray norms = c.norm2(1);
        Transforms.max(norms, NORM_EPS, false);
        c.diviColumnVector(norms);
    }
}
