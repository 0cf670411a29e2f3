package org.selfsup4j.vision.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.vision.encoders.BackboneSpec;

class ProbeTest {
    /** Gaussian blobs around class centres in d dimensions. */
    static INDArray blobs(int perClass, int classes, int d, double spread, long seed, int[] labelsOut) {
        Random r = new Random(seed);
        Random centres = new Random(123);
        double[][] c = new double[classes][d];
        for (double[] row : c) {
            for (int j = 0; j < d; j++) {
                row[j] = centres.nextGaussian();
            }
        }
        double[][] x = new double[perClass * classes][d];
        for (int i = 0; i < x.length; i++) {
            int y = i % classes;
            labelsOut[i] = y;
            for (int j = 0; j < d; j++) {
                x[i][j] = c[y][j] + spread * r.nextGaussian();
            }
        }
        return Nd4j.create(x).castTo(DataType.FLOAT);
    }

    @Test
    void knn_handWorkedVote_weightsBySimilarity() {
        // Query along +x: two neighbours of class 1 at 60 degrees lose to one of class 0 at 0 degrees
        // with T = 0.07 (exp(1/0.07) > 2 exp(0.5/0.07)), and win with a large T.
        INDArray train = Nd4j.create(new float[][] {{1, 0}, {0.5f, 0.866f}, {0.5f, -0.866f}, {-1, 0}});
        int[] labels = {0, 1, 1, 2};
        INDArray q = Nd4j.create(new float[][] {{2, 0}});
        assertArrayEquals(new int[] {0}, new KnnClassifier(3, 0.07).predict(train, labels, q, 3));
        assertArrayEquals(new int[] {1}, new KnnClassifier(3, 100).predict(train, labels, q, 3));
        // k = 1 is the nearest neighbour.
        assertArrayEquals(new int[] {2}, new KnnClassifier(1, 0.07).predict(train, labels,
                Nd4j.create(new float[][] {{-3, 0.1f}}), 3));
    }

    @Test
    void knn_separableBlobs_nearlyPerfect_noiseAtChance() {
        int[] ytr = new int[500];
        int[] yte = new int[200];
        INDArray tr = blobs(50, 10, 16, 0.2, 1, ytr);
        INDArray te = blobs(20, 10, 16, 0.2, 2, yte);
        assertTrue(new KnnClassifier().accuracy(tr, ytr, te, yte, 10) > 0.95);
        INDArray noise = Nd4j.randn(DataType.FLOAT, 200, 16);
        double chance = new KnnClassifier().accuracy(tr, ytr, noise, yte, 10);
        assertTrue(chance < 0.3, "accuracy on noise " + chance);
    }

    @Test
    void linearProbe_separableBlobs_learns_andIsDeterministic() {
        int[] ytr = new int[500];
        int[] yte = new int[200];
        INDArray tr = blobs(50, 10, 16, 0.5, 3, ytr);
        INDArray te = blobs(20, 10, 16, 0.5, 4, yte);
        double a = new LinearProbe(20, 0.1, 5e-4, 7).fit(tr, ytr, 10).accuracy(te, yte);
        double b = new LinearProbe(20, 0.1, 5e-4, 7).fit(tr, ytr, 10).accuracy(te, yte);
        assertTrue(a > 0.9, "accuracy " + a);
        assertEquals(a, b);
    }

    @Test
    void linearProbe_beforeFit_throws_wrongWidth_throws() {
        assertThrows(IllegalStateException.class, () -> new LinearProbe(1).predict(Nd4j.zeros(2, 3)));
        int[] y = {0, 1};
        LinearProbe p = new LinearProbe(2, 0.1, 0, 1).fit(Nd4j.rand(DataType.FLOAT, 2, 3), y, 2);
        assertThrows(IllegalArgumentException.class, () -> p.predict(Nd4j.zeros(2, 4)));
        assertThrows(IllegalArgumentException.class,
                () -> new KnnClassifier().predict(Nd4j.zeros(3, 2), new int[2], Nd4j.zeros(1, 2), 2));
    }

    @Test
    void features_evalMode_shapeAndDeterministic() {
        var backbone = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 1).build();
        List<FloatImage> imgs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            imgs.add(FloatImage.zeros(3, 16, 16));
        }
        INDArray f1 = Features.extract(backbone.module(), imgs, null, 2);
        INDArray f2 = Features.extract(backbone.module(), imgs, null, 5);
        assertArrayEquals(new long[] {5, 32}, f1.shape());
        assertEquals(f1, f2);
    }
}
