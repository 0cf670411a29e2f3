package org.selfsup4j.core.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.selfsup4j.core.Checks;

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

    /**
     * {@code k} distinct values of [0, n), in draw order: the first {@code k} entries of a partial
     * Fisher-Yates shuffle from the bottom, drawing {@code rng.nextInt(n - i)} for i = 0..k-1. The
     * masks and k-means initialisations depend on exactly these draws; {@link #permutation} draws
     * from the top, as the loaders always did, so the two stay separate.
     *
     * @param n the population size
     * @param k how many to draw, {@code <= n}
     * @param rng the generator
     * @return the draw, empty when {@code n <= 0} or {@code k <= 0}
     * @throws IllegalArgumentException when {@code k > n > 0}
     */
    public static int[] sampleWithoutReplacement(int n, int k, SplittableRandom rng) {
        if (n <= 0 || k <= 0) {
            return new int[0];
        }
        if (k > n) {
            // not Checks.argument: masks call this every step, and the message is built only on failure
            throw new IllegalArgumentException("Seeds.sampleWithoutReplacement: k must be <= n = " + n + ", got " + k);
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

    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One standard normal draw by Box-Muller ({@code SplittableRandom} has no {@code nextGaussian}
     * on Java 17); two uniform draws per call.
     *
     * @param rng the generator
     * @return a draw of N(0, 1)
     */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
