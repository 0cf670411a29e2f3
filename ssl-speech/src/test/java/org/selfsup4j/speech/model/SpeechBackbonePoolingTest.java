package org.selfsup4j.speech.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SpeechBackbonePoolingTest {
    private static double[] noise(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    private static SpeechBackbone backbone() {
        return new SpeechBackbone(Wav2Vec2Config.tiny(), DataType.DOUBLE, new SplittableRandom(3));
    }

    @Test
    void meanPooledLayers_withoutLengths_matchesMeanPooledOfEachLayer() {
        SpeechBackbone b = backbone();
        INDArray w = Nd4j.createFromArray(new double[][] {noise(120, 1), noise(120, 2)});
        List<INDArray> all = b.meanPooledLayers(w, null);
        assertEquals(b.transformer().numLayers() + 1, all.size());
        for (int l = 0; l < all.size(); l++) {
            INDArray one = b.meanPooled(w, l);
            assertEquals(0, one.sub(all.get(l)).norm1Number().doubleValue() / one.norm1Number().doubleValue(), 1e-10,
                    "layer " + l);
        }
    }

    @Test
    void meanPooledLayers_paddedRow_equalsTheContextOfItsValidFramesAlone() {
        // The first convolution's group norm sees the padding (as fairseq's wav2vec 2.0 base); from
        // the features on, padded frames must change nothing: compare with the valid frames alone.
        SpeechBackbone b = backbone();
        double[] padded = new double[150];
        System.arraycopy(noise(70, 4), 0, padded, 0, 70);
        INDArray w = Nd4j.createFromArray(new double[][] {padded, noise(150, 5)});
        List<INDArray> batch = b.meanPooledLayers(w, new int[] {70, 150});
        INDArray z = b.featureEncoder().forward(w, false).dup();
        int valid = (int) b.featureEncoder().frames(70);
        INDArray z0 = z.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(0, valid), NDArrayIndex.all()).dup();
        List<INDArray> hidden = b.forwardContext(z0, null, false);
        for (int l = 1; l < batch.size(); l++) {
            INDArray expected = hidden.get(l - 1).mean(1).getRow(0);
            double rel = batch.get(l).getRow(0).sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
            assertEquals(0, rel, 1e-9, "layer " + l);
        }
        // Without the lengths the padded frames would enter attention and the mean.
        List<INDArray> unmasked = b.meanPooledLayers(w, null);
        INDArray expected = hidden.get(0).mean(1).getRow(0);
        double diff = unmasked.get(1).getRow(0).sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(diff > 1e-3, "padding should matter when not masked, diff " + diff);
    }

    @Test
    void meanPooledLayers_badLengths_throw() {
        SpeechBackbone b = backbone();
        INDArray w = Nd4j.createFromArray(new double[][] {noise(100, 1)});
        assertThrows(IllegalArgumentException.class, () -> b.meanPooledLayers(w, new int[] {101}));
        assertThrows(IllegalArgumentException.class, () -> b.meanPooledLayers(w, new int[] {50, 50}));
    }
}
