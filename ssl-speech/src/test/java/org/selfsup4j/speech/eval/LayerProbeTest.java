package org.selfsup4j.speech.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.speech.features.Mfcc;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;

class LayerProbeTest {
    private static final SpeechBackbone BACKBONE = new SpeechBackbone(Wav2Vec2Config.tiny(), DataType.FLOAT,
            new SplittableRandom(2));

    /** Tones of two pitches (the labels) and lengths 300..660. */
    private static List<float[]> tones(int n, long seed) {
        Random r = new Random(seed);
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[300 + 40 * (i % 10)];
            double f = i % 2 == 0 ? 0.02 : 0.11;
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (Math.sin(2 * Math.PI * f * t) + 0.05 * r.nextGaussian());
            }
            xs.add(x);
        }
        return xs;
    }

    @Test
    void embed_unpaddedBatchesOfOne_matchEachUtteranceAlone() {
        List<float[]> xs = tones(3, 1);
        List<INDArray> all = new LayerEmbeddings(1, 10000, 1).embed(BACKBONE, xs);
        assertEquals(Wav2Vec2Config.tiny().numLayers() + 1, all.size());
        for (int i = 0; i < xs.size(); i++) {
            List<INDArray> one = BACKBONE.meanPooledLayers(Nd4j.createFromArray(new float[][] {xs.get(i)}),
                    new int[] {xs.get(i).length});
            for (int l = 0; l < all.size(); l++) {
                assertArrayEquals(one.get(l).castTo(DataType.DOUBLE).toDoubleVector(), all.get(l).getRow(i).toDoubleVector(),
                        1e-6, "utterance " + i + " layer " + l);
            }
        }
    }

    @Test
    void embed_rowsFollowTheInputOrder_whateverTheBatching() {
        List<float[]> xs = tones(5, 1);
        List<float[]> reversed = new ArrayList<>(xs);
        java.util.Collections.reverse(reversed);
        LayerEmbeddings e = new LayerEmbeddings(2, 10000, 100);
        List<INDArray> a = e.embed(BACKBONE, xs);
        List<INDArray> b = e.embed(BACKBONE, reversed);
        for (int l = 0; l < a.size(); l++) {
            for (int i = 0; i < xs.size(); i++) {
                assertArrayEquals(a.get(l).getRow(i).toDoubleVector(), b.get(l).getRow(xs.size() - 1 - i).toDoubleVector(),
                        0.0);
            }
        }
    }

    @Test
    void evaluate_separableTones_reportsEveryLayerAndTheBestOnesTestAccuracy() {
        List<float[]> train = tones(40, 2);
        List<float[]> test = tones(10, 3);
        int[] trainY = new int[40];
        boolean[] heldOut = new boolean[40];
        for (int i = 0; i < 40; i++) {
            trainY[i] = i % 2;
            heldOut[i] = i >= 30;
        }
        int[] testY = new int[10];
        for (int i = 0; i < 10; i++) {
            testY[i] = i % 2;
        }
        LayerProbe p = new LayerProbe(new LayerEmbeddings(8, 10000, 100), LinearProbe.withDefaults(),
                LayerProbe.DEFAULT_SELECTOR);
        LayerProbeResult r = p.evaluate(BACKBONE, train, trainY, heldOut, test, testY);
        assertEquals(Wav2Vec2Config.tiny().numLayers() + 1, r.heldOutByLayer().size());
        double best = r.heldOutByLayer().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, r.heldOutByLayer().get(r.layer()), 0.0);
        assertTrue(r.testTop1() >= 0.9, "test top-1 " + r.testTop1());
        assertThrows(IllegalArgumentException.class, () -> p.evaluate(BACKBONE, train, new int[3], heldOut, test, testY));
    }

    @Test
    void mfccMeans_oneRowOf39PerUtterance() {
        INDArray m = MfccMeans.of(Mfcc.hubert(8000), tones(3, 4));
        assertArrayEquals(new long[] {3, 39}, m.shape());
    }
}
