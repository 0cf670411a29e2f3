package org.selfsup4j.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KnnClassifierTest {
    /** Train (1,0)->0, (0,1)->1, (1,1)->1; test (1, 0.2). */
    private static final INDArray HAND_TRAIN = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 1}});
    private static final int[] HAND_Y = {0, 1, 1};
    private static final INDArray HAND_TEST = Nd4j.createFromArray(new double[][] {{1, 0.2}});

    private static double[] handSims() {
        double nt = Math.sqrt(1 + 0.04);
        return new double[] {1 / nt, 0.2 / nt, 1.2 / (nt * Math.sqrt(2))};
    }

    @Test
    void scores_threePointHandExample_matchesWeightedVote() {
        double[] s = handSims();
        double t = 0.07;
        double[][] got = new KnnClassifier(3, t).scores(HAND_TRAIN, HAND_Y, HAND_TEST);
        double want0 = Math.exp(s[0] / t);
        double want1 = Math.exp(s[1] / t) + Math.exp(s[2] / t);
        assertEquals(want0, got[0][0], 1e-9 * want0);
        assertEquals(want1, got[0][1], 1e-9 * want1);
        // The single nearest neighbour outweighs two farther ones at T = 0.07...
        assertArrayEquals(new int[] {0}, new KnnClassifier(3, t).predict(HAND_TRAIN, HAND_Y, HAND_TEST));
        // ...while a large temperature makes the vote a plain majority.
        assertArrayEquals(new int[] {1}, new KnnClassifier(3, 100).predict(HAND_TRAIN, HAND_Y, HAND_TEST));
    }

    @Test
    void scores_kSmallerThanTrain_onlyNearestVote() {
        double[] s = handSims();
        double[][] got = new KnnClassifier(2, 0.5).scores(HAND_TRAIN, HAND_Y, HAND_TEST);
        // The two nearest are (1,0) and (1,1); (0,1) does not vote.
        assertEquals(Math.exp(s[0] / 0.5), got[0][0], 1e-12);
        assertEquals(Math.exp(s[2] / 0.5), got[0][1], 1e-12);
    }

    @Test
    void predict_defaultKLargerThanTrain_isClipped() {
        double[][] got = new KnnClassifier().scores(HAND_TRAIN, HAND_Y, HAND_TEST);
        double[] s = handSims();
        double t = KnnClassifier.DEFAULT_TEMPERATURE;
        assertEquals(Math.exp(s[1] / t) + Math.exp(s[2] / t), got[0][1], 1e-9 * got[0][1]);
    }

    @Test
    void predict_separableClusters_allCorrect() {
        Random rnd = new Random(7);
        int classes = 4;
        int d = 16;
        double[][] centers = new double[classes][d];
        for (int c = 0; c < classes; c++) {
            centers[c][c * 4] = 5;
            centers[c][c * 4 + 1] = 3;
        }
        int nTrain = 80;
        int nTest = 41;
        float[][] tr = new float[nTrain][d];
        float[][] te = new float[nTest][d];
        int[] ytr = new int[nTrain];
        int[] yte = new int[nTest];
        for (int i = 0; i < nTrain + nTest; i++) {
            int c = i % classes;
            float[] row = i < nTrain ? tr[i] : te[i - nTrain];
            for (int j = 0; j < d; j++) {
                row[j] = (float) (centers[c][j] + 0.3 * rnd.nextGaussian());
            }
            if (i < nTrain) {
                ytr[i] = c;
            } else {
                yte[i - nTrain] = c;
            }
        }
        INDArray trainX = Nd4j.createFromArray(tr);
        INDArray testX = Nd4j.createFromArray(te);
        assertEquals(1.0, new KnnClassifier(5, 0.07).accuracy(trainX, ytr, testX, yte));
        // Chunking is an implementation detail: blocks of 1 and 7 rows (41 = 5*7 + 6, a short tail) agree.
        int[] ref = new KnnClassifier(20, 0.1, 1000).predict(trainX, ytr, testX);
        assertArrayEquals(ref, new KnnClassifier(20, 0.1, 1).predict(trainX, ytr, testX));
        assertArrayEquals(ref, new KnnClassifier(20, 0.1, 7).predict(trainX, ytr, testX));
        assertArrayEquals(yte, ref);
    }

    @Test
    void predict_scaleInvariant_cosineNotEuclidean() {
        INDArray train = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        int[] y = {0, 1};
        // Far from (1,0) in Euclidean distance, but pointing the same way.
        INDArray test = Nd4j.createFromArray(new double[][] {{100, 1}, {0, 0.01}});
        assertArrayEquals(new int[] {0, 1}, new KnnClassifier(1, 0.07).predict(train, y, test));
    }

    @Test
    void badArguments_throwNamingMethod() {
        KnnClassifier knn = new KnnClassifier();
        INDArray train = Nd4j.rand(DataType.FLOAT, 5, 3);
        int[] y = {0, 1, 0, 1, 2};
        var e = assertThrows(IllegalArgumentException.class,
                () -> knn.predict(train, y, Nd4j.rand(DataType.FLOAT, 2, 4)));
        assertTrue(e.getMessage().startsWith("KnnClassifier.predict:") && e.getMessage().contains("[2, 4]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> knn.predict(train.reshape(15), y, train));
        assertThrows(IllegalArgumentException.class, () -> knn.predict(train, new int[] {0, 1}, train));
        assertThrows(IllegalArgumentException.class, () -> knn.predict(train, new int[] {0, 1, -1, 0, 0}, train));
        assertThrows(IllegalArgumentException.class, () -> knn.accuracy(train, y, train, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> knn.predict(null, y, train));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier(0, 0.07));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier(5, 0));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier(5, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier(5, 0.07, 0));
    }

    @Test
    void scores_centerFeatures_subtractsTrainMeanBeforeCosine() {
        // Train mean (2/3, 2/3); centred: (1/3,-2/3), (-2/3,1/3), (1/3,1/3); test (1,0.2) -> (1/3,-7/15).
        double[][] tr = {{1.0 / 3, -2.0 / 3}, {-2.0 / 3, 1.0 / 3}, {1.0 / 3, 1.0 / 3}};
        double[] te = {1.0 / 3, -7.0 / 15};
        double nt = Math.hypot(te[0], te[1]);
        double t = 0.5;
        double[] want = new double[2];
        for (int j = 0; j < 3; j++) {
            double s = (tr[j][0] * te[0] + tr[j][1] * te[1]) / (nt * Math.hypot(tr[j][0], tr[j][1]));
            want[HAND_Y[j]] += Math.exp(s / t);
        }
        KnnClassifier centred = new KnnClassifier().withK(3).withTemperature(t).withCenterFeatures(true);
        assertTrue(centred.centerFeatures());
        double[][] got = centred.scores(HAND_TRAIN, HAND_Y, HAND_TEST);
        assertEquals(want[0], got[0][0], 1e-9 * want[0]);
        assertEquals(want[1], got[0][1], 1e-9 * want[1]);
        // The default builder is the plain InstDisc classifier.
        KnnClassifier plain = new KnnClassifier().withK(3).withTemperature(t);
        assertEquals(false, plain.centerFeatures());
        double[] s = handSims();
        assertEquals(Math.exp(s[0] / t), plain.scores(HAND_TRAIN, HAND_Y, HAND_TEST)[0][0], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier().withK(0));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier().withTemperature(-1));
        assertThrows(IllegalArgumentException.class, () -> new KnnClassifier().withChunkRows(0));
    }

    /**
     * Raw optdigits pixels, InstDisc's defaults k = 200, T = 0.07, checked against the float64 NumPy
     * reference in {@code src/test/resources/org/selfsup4j/core/eval/optdigits_reference.py} (two rows
     * of slack for float32 ties). Plain cosine: 1693 of 1797 (0.9421), below 0.95 because raw
     * non-negative counts share one orthant; with the training mean subtracted before the cosine:
     * 1746 of 1797 (0.9716), which must reach 0.95. DINO's 20-NN (k = 20) on plain cosine: 1740 (0.9683).
     */
    @Test
    void accuracy_optdigitsRawPixels_matchesReferenceAndCentredReaches95Percent() throws IOException {
        Path dir = Optdigits.folder();
        Optdigits.Split train = Optdigits.read(dir.resolve("optdigits.tra"));
        Optdigits.Split test = Optdigits.read(dir.resolve("optdigits.tes"));
        assertEquals(3823, train.y().length);
        assertEquals(1797, test.y().length);
        long t0 = System.nanoTime();
        double accDefault = new KnnClassifier().accuracy(train.x(), train.y(), test.x(), test.y());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        KnnClassifier centred = new KnnClassifier().withK(KnnClassifier.DEFAULT_K)
                .withTemperature(KnnClassifier.DEFAULT_TEMPERATURE).withCenterFeatures(true);
        double accCentred = centred.accuracy(train.x(), train.y(), test.x(), test.y());
        double acc20 = new KnnClassifier(20, KnnClassifier.DEFAULT_TEMPERATURE)
                .accuracy(train.x(), train.y(), test.x(), test.y());
        System.out.printf("optdigits weighted kNN test accuracy: k=200 %.4f (%d ms), k=200 centred %.4f, k=20 %.4f%n",
                accDefault, ms, accCentred, acc20);
        assertEquals(1693, Math.round(accDefault * 1797), 2.0, "k=200 correct count vs NumPy reference");
        assertEquals(1746, Math.round(accCentred * 1797), 2.0, "k=200 centred correct count vs NumPy");
        assertEquals(1740, Math.round(acc20 * 1797), 2.0, "k=20 correct count vs NumPy reference");
        assertTrue(accCentred >= 0.95, "kNN (k=200, T=0.07, centred) test accuracy " + accCentred);
    }

    @Test
    void accuracy_oneClassTrainOrTest_throwsInsteadOfReportingOne() {
        // A one-class set used to report accuracy 1.0 for random features.
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3);
        int[] one = new int[6];
        int[] two = {0, 1, 0, 1, 0, 1};
        KnnClassifier knn = new KnnClassifier(3, 0.07);
        var train = assertThrows(IllegalArgumentException.class, () -> knn.accuracy(x, one, x, two));
        assertTrue(train.getMessage().startsWith("KnnClassifier.accuracy: trainY must hold at least 2 classes"),
                train.getMessage());
        var test = assertThrows(IllegalArgumentException.class, () -> knn.accuracy(x, two, x, one));
        assertTrue(test.getMessage().contains("testY must hold at least 2 classes"), test.getMessage());
        assertTrue(knn.accuracy(x, two, x, two) >= 0);
    }
}
