package org.selfsup4j.core.train;

import java.util.SplittableRandom;

/**
 * Derives independent 64-bit seeds from a run seed and coordinates (step, sample, view, ...), so
 * every random draw is a pure function of those and not of thread scheduling or call order.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Mixes the seed with each coordinate in turn (SplitMix64 finalizer). */
    public static long mix(long seed, long... coordinates) {
        long h = seed;
        for (long c : coordinates) {
            h = splitMix64(h ^ splitMix64(c + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /**
     * A uniformly random permutation of {@code 0..n-1}: Fisher-Yates from the top, position
     * {@code i = n-1 .. 1} swapped with {@code rng.nextInt(i + 1)}, so it consumes exactly
     * {@code n - 1} draws and equals, draw for draw, the loop the data loaders and evaluators wrote out.
     *
     * @param n the length, &ge; 0
     * @param rng the generator, advanced by {@code max(n - 1, 0)} draws
     * @return the permutation
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
