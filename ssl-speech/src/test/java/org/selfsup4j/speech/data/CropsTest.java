package org.selfsup4j.speech.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class CropsTest {
    @Test
    void fit_centred_cropsOrPadsInTheMiddle() {
        assertArrayEquals(new float[] {2, 3, 4}, Crops.fit(new float[] {1, 2, 3, 4, 5}, 3, null));
        assertArrayEquals(new float[] {0, 1, 2, 0}, Crops.fit(new float[] {1, 2}, 4, null));
    }

    @Test
    void fit_random_isAWindowOfTheInput() {
        float[] x = {1, 2, 3, 4, 5, 6};
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            float[] y = Crops.fit(x, 4, rng);
            for (int j = 1; j < 4; j++) {
                assertEquals(y[0] + j, y[j], 0f);
            }
        }
    }

    @Test
    void cropBatchSource_sameStep_sameBatch_andShapeBatchBySamples() {
        List<float[]> xs = List.of(new float[] {1, 2, 3, 4, 5}, new float[] {6, 7});
        CropBatchSource s = new CropBatchSource(xs, 3, 4, 11);
        INDArray a = s.views(5).get(0);
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertEquals(a, s.views(5).get(0));
        assertEquals(1, s.stepsPerEpoch());
        assertThrows(IllegalArgumentException.class, () -> new CropBatchSource(List.of(), 3, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new CropBatchSource(xs, 0, 4, 1));
    }

    @Test
    void standardize_zeroMeanUnitVariance() {
        float[] x = {1, 2, 3, 4};
        Utterances.standardize(x);
        double mean = 0;
        double sq = 0;
        for (float v : x) {
            mean += v / 4.0;
            sq += v * v / 4.0;
        }
        assertEquals(0, mean, 1e-6);
        assertEquals(1, sq, 1e-4);
    }
}
