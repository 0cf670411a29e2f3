package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsSamplingTest {
    @Test
    void withoutReplacement_distinctValuesInRange_andTheDrawsOfAPartialFisherYates() {
        int[] got = Seeds.sampleWithoutReplacement(10, 4, new SplittableRandom(7));
        SplittableRandom rng = new SplittableRandom(7);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (int i = 0; i < 4; i++) {
            int j = i + rng.nextInt(10 - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        assertArrayEquals(Arrays.copyOf(all, 4), got);
        assertEquals(4, Arrays.stream(got).distinct().filter(v -> v >= 0 && v < 10).count());
    }

    @Test
    void withoutReplacement_all_isAPermutation() {
        int[] got = Seeds.sampleWithoutReplacement(6, 6, new SplittableRandom(1));
        int[] sorted = got.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, sorted);
    }

    @Test
    void withoutReplacement_emptyOrTooMany() {
        assertEquals(0, Seeds.sampleWithoutReplacement(0, 3, new SplittableRandom(1)).length);
        assertEquals(0, Seeds.sampleWithoutReplacement(3, 0, new SplittableRandom(1)).length);
        assertThrows(IllegalArgumentException.class, () -> Seeds.sampleWithoutReplacement(3, 4, new SplittableRandom(1)));
    }
}
