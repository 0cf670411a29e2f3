package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DistractorSamplerTest {
    private static final int[][] MASK = {{1, 0, 1, 1, 0, 1, 0, 1}, {0, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0, 0, 0}};

    @Test
    void sample_drawsOnlyOtherMaskedStepsOfSameUtterance() {
        INDArray mask = Nd4j.createFromArray(MASK);
        int k = 50;
        int[] idx = DistractorSampler.sample(mask, k, new SplittableRandom(1)).data().asInt();
        int t = MASK[0].length;
        for (int b = 0; b < MASK.length; b++) {
            for (int s = 0; s < t; s++) {
                for (int i = 0; i < k; i++) {
                    int j = idx[(b * t + s) * k + i];
                    if (MASK[b][s] == 0) {
                        assertEquals(-1, j, "unmasked rows are -1");
                    } else {
                        assertNotEquals(s, j, "never the step itself");
                        assertEquals(1, MASK[b][j], "only masked steps");
                    }
                }
            }
        }
        // utterance 2 has two masked steps: each must always draw the other
        for (int i = 0; i < k; i++) {
            assertEquals(1, idx[(2 * t) * k + i]);
            assertEquals(0, idx[(2 * t + 1) * k + i]);
        }
    }

    @Test
    void sample_coversAllOtherMaskedStepsRoughlyUniformly() {
        INDArray mask = Nd4j.createFromArray(MASK);
        int k = 3000;
        int[] idx = DistractorSampler.sample(mask, k, new SplittableRandom(2)).data().asInt();
        int[] counts = new int[8];
        for (int i = 0; i < k; i++) {
            counts[idx[0 * k + i]]++; // step 0 of utterance 0: others are 2, 3, 5, 7
        }
        for (int j : new int[] {2, 3, 5, 7}) {
            assertTrue(Math.abs(counts[j] - k / 4) < 150, "step " + j + " drawn " + counts[j] + " times of " + k);
        }
        assertEquals(0, counts[0] + counts[1] + counts[4] + counts[6]);
    }

    @Test
    void sample_sameSeed_isReproducible_otherSeedDiffers() {
        INDArray mask = Nd4j.createFromArray(MASK);
        int[] a = DistractorSampler.sample(mask, 10, new SplittableRandom(42)).data().asInt();
        int[] b = DistractorSampler.sample(mask, 10, new SplittableRandom(42)).data().asInt();
        int[] c = DistractorSampler.sample(mask, 10, new SplittableRandom(43)).data().asInt();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        INDArray out = Nd4j.create(DataType.INT32, 3, 8, 10);
        assertArrayEquals(a, DistractorSampler.sample(mask, new SplittableRandom(42), out).data().asInt());
    }

    @Test
    void sample_badArguments_throw() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistractorSampler.sample(Nd4j.createFromArray(new int[][] {{1, 0, 0}}), 2, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("utterance 0 has 1 masked step"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DistractorSampler.sample(Nd4j.createFromArray(new int[] {1, 1}), 2, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> DistractorSampler.sample(Nd4j.createFromArray(MASK), -1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> DistractorSampler.sample(Nd4j.createFromArray(MASK),
                new SplittableRandom(1), Nd4j.create(DataType.INT64, 3, 8, 2)));
    }
}
