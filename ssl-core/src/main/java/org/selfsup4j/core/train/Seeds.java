package org.selfsup4j.core.train;

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

    static long splitMix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
