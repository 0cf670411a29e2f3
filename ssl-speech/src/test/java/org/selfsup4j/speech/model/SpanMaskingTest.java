package org.selfsup4j.speech.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpanMaskingTest {

    private static double meanFraction(double p, int frames) {
        SplittableRandom rng = new SplittableRandom(42);
        double sum = 0;
        int trials = 200;
        for (int i = 0; i < trials; i++) {
            sum += SpanMasking.maskedFraction(SpanMasking.compute(1, frames, p, 10, 2, rng));
        }
        return sum / trials;
    }

    @Test
    void wav2vec2Defaults_maskAboutFortyNinePercent() {
        double f = meanFraction(SpanMasking.WAV2VEC2_MASK_PROB, 500);
        assertTrue(f > 0.46 && f < 0.52, "masked fraction " + f);
    }

    @Test
    void hubertDefaults_maskAboutFiftyFivePercent() {
        double f = meanFraction(SpanMasking.HUBERT_MASK_PROB, 500);
        assertTrue(f > 0.52 && f < 0.59, "masked fraction " + f);
    }

    @Test
    void sameSeed_sameMask_andEveryRowHasTheSameCount() {
        boolean[][] a = SpanMasking.compute(4, 60, 0.65, 10, 2, new SplittableRandom(5));
        boolean[][] b = SpanMasking.compute(4, 60, 0.65, 10, 2, new SplittableRandom(5));
        boolean[][] c = SpanMasking.compute(4, 60, 0.65, 10, 2, new SplittableRandom(6));
        int count0 = -1;
        boolean differs = false;
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a[i], b[i]);
            int count = 0;
            for (int t = 0; t < 60; t++) {
                count += a[i][t] ? 1 : 0;
                differs |= a[i][t] != c[i][t];
            }
            if (count0 < 0) {
                count0 = count;
            }
            assertEquals(count0, count);
        }
        assertTrue(differs);
    }

    @Test
    void maskedFramesComeInSpansOfTheMaskLengthWhenSparse() {
        // one span (min_masks = 1, p small): exactly M consecutive frames
        boolean[][] m = SpanMasking.compute(1, 100, 0.01, 7, 1, new SplittableRandom(3));
        int first = -1;
        int count = 0;
        for (int t = 0; t < 100; t++) {
            if (m[0][t]) {
                count++;
                if (first < 0) {
                    first = t;
                }
            }
        }
        assertEquals(7, count);
        for (int t = first; t < first + 7; t++) {
            assertTrue(m[0][t]);
        }
    }

    @Test
    void paddedFramesAreNeverMasked() {
        boolean[][] m = SpanMasking.compute(new int[] {40, 20}, 40, 0.65, 5, 2, new SplittableRandom(9));
        for (int t = 20; t < 40; t++) {
            assertFalse(m[1][t]);
        }
    }

    @Test
    void shortSequences_stillGetMinMasks() {
        boolean[][] m = SpanMasking.compute(2, 6, 0.65, 10, 2, new SplittableRandom(1));
        for (boolean[] row : m) {
            int c = 0;
            for (boolean b : row) {
                c += b ? 1 : 0;
            }
            assertTrue(c >= 2, "masked " + c);
        }
    }

    @Test
    void badArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> SpanMasking.compute(1, 10, 1.5, 10, 2, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> SpanMasking.compute(1, 10, 0.5, 0, 2, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class,
                () -> SpanMasking.compute(new int[] {11}, 10, 0.5, 2, 2, new SplittableRandom(1)));
    }
}
