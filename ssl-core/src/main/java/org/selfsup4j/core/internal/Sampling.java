package org.selfsup4j.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Uniform draws without replacement, written once for the masks and k-means initialisations built on core. */
public final class Sampling {
    private Sampling() {
    }

    /**
     * {@code k} distinct values of [0, n), in draw order: the first {@code k} entries of a partial
     * Fisher-Yates shuffle, drawing {@code rng.nextInt(n - i)} for i = 0..k-1 (callers' random streams
     * depend on exactly these draws).
     *
     * @param n the population size
     * @param k how many to draw, {@code <= n}
     * @param rng the generator
     * @return the draw, empty when {@code n <= 0} or {@code k <= 0}
     * @throws IllegalArgumentException when {@code k > n > 0}
     */
    public static int[] withoutReplacement(int n, int k, SplittableRandom rng) {
        if (n <= 0 || k <= 0) {
            return new int[0];
        }
        if (k > n) {
            throw new IllegalArgumentException("Sampling.withoutReplacement: k must be <= n = " + n + ", got " + k);
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = all[i];
            all[i] = all[j];
            all[j] = tmp;
        }
        return Arrays.copyOf(all, k);
    }
}
