package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {

    @Test
    void permutation_equalsTheWrittenOutFisherYatesLoop_andConsumesNMinusOneDraws() {
        for (int n : new int[] {0, 1, 2, 7, 100}) {
            int[] expected = new int[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            SplittableRandom ref = new SplittableRandom(42);
            for (int i = n - 1; i > 0; i--) {
                int j = ref.nextInt(i + 1);
                int t = expected[i];
                expected[i] = expected[j];
                expected[j] = t;
            }
            SplittableRandom rng = new SplittableRandom(42);
            int[] p = Seeds.permutation(n, rng);
            assertArrayEquals(expected, p, "n = " + n);
            assertEquals(ref.nextLong(), rng.nextLong(), "draws consumed for n = " + n);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < n; i++) {
                assertEquals(i, sorted[i]);
            }
        }
    }

    @Test
    void gaussian_equalsTheWrittenOutBoxMuller_andConsumesTwoDraws() {
        SplittableRandom ref = new SplittableRandom(7);
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            double u1 = 1.0 - ref.nextDouble();
            double u2 = ref.nextDouble();
            double expected = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(Seeds.gaussian(rng)));
        }
        assertEquals(ref.nextLong(), rng.nextLong());
    }
}
