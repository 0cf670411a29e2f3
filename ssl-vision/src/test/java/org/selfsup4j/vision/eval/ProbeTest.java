package org.selfsup4j.vision.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.eval.KnnClassifier;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;

/** Feature extraction, and the core probes on extracted image features. */
class ProbeTest {
    static final int SIZE = 16;

    /** Class 0: a bright left half; class 1: a bright top half; noise on both. */
    static List<FloatImage> halves(int n, long seed, int[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int y = i % 2;
            labels[i] = y;
            float[] d = new float[3 * SIZE * SIZE];
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < SIZE; row++) {
                    for (int col = 0; col < SIZE; col++) {
                        boolean on = y == 0 ? col < SIZE / 2 : row < SIZE / 2;
                        d[(c * SIZE + row) * SIZE + col] = (on ? 0.8f : 0.2f) + 0.1f * (float) r.nextGaussian();
                    }
                }
            }
            out.add(new FloatImage(d, 3, SIZE, SIZE));
        }
        return out;
    }

    @Test
    void features_evalMode_shapeAndIndependentOfBatching() {
        Backbone backbone = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 1).build();
        int[] labels = new int[5];
        List<FloatImage> imgs = halves(5, 1, labels);
        INDArray f1 = Features.extract(backbone.module(), imgs, null, 2);
        INDArray f2 = Features.extract(backbone.module(), imgs, null, 5);
        assertArrayEquals(new long[] {5, 32}, f1.shape());
        assertTrue(f1.equalsWithEps(f2, 1e-5));
    }

    @Test
    void features_normalizeApplied() {
        Backbone backbone = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 1).build();
        int[] labels = new int[2];
        List<FloatImage> imgs = halves(2, 1, labels);
        INDArray plain = Features.extract(backbone.module(), imgs, null, 2);
        INDArray norm = Features.extract(backbone.module(), imgs,
                new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.1f, 0.1f, 0.1f}), 2);
        assertTrue(!plain.equalsWithEps(norm, 1e-3));
    }

    @Test
    void coreProbes_onRandomInitFeatures_separateDistinctPatterns() {
        Backbone backbone = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 3).build();
        int[] ytr = new int[60];
        int[] yte = new int[20];
        INDArray tr = Features.extract(backbone.module(), halves(60, 2, ytr), null, 32);
        INDArray te = Features.extract(backbone.module(), halves(20, 3, yte), null, 32);
        assertEquals(1.0, new KnnClassifier(10, KnnClassifier.DEFAULT_TEMPERATURE).accuracy(tr, ytr, te, yte), 1e-12);
        assertEquals(1.0, LinearProbe.withDefaults().evaluate(tr, ytr, te, yte).testAccuracy(), 1e-12);
    }

    @Test
    void extract_badArguments_throw() {
        Backbone backbone = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 1).build();
        assertThrows(IllegalArgumentException.class, () -> Features.extract(backbone.module(), List.of(), null, 2));
        List<FloatImage> mixed = List.of(FloatImage.zeros(3, SIZE, SIZE), FloatImage.zeros(3, SIZE, 8));
        assertThrows(IllegalArgumentException.class, () -> Features.extract(backbone.module(), mixed, null, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Features.extract(backbone.module(), List.of(FloatImage.zeros(3, SIZE, SIZE)), null, 0));
    }

    @Test
    void frozenProbes_unlabelledSet_refusedWithASentenceBeforeExtracting() {
        int[] y = new int[4];
        List<FloatImage> imgs = halves(4, 3, y);
        org.selfsup4j.vision.data.LabeledImages labelled =
                new org.selfsup4j.vision.data.LabeledImages("l", imgs, y, List.of("left", "top"));
        org.selfsup4j.vision.data.LabeledImages flat =
                new org.selfsup4j.vision.data.LabeledImages("flat", imgs, new int[] {-1, -1, -1, -1}, List.of());
        // A flat folder used to fail deep in the probe with "testY must be non-negative class indices, got -1".
        var e = assertThrows(IllegalArgumentException.class, () -> FrozenProbes.evaluate(null, labelled, flat, null));
        assertTrue(e.getMessage().contains("evaluation needs labels") && e.getMessage().contains("'flat'"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrozenProbes.knn(null, flat, labelled, null));
    }
}
