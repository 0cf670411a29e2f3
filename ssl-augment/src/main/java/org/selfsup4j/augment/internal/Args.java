package org.selfsup4j.augment.internal;

/** Argument checks shared by the transforms; messages name the place, the parameter and the value. */
public final class Args {
    private Args() {
    }

    /**
     * @param where e.g. "RandomGrayscale"
     * @param name parameter name
     * @param p value
     * @return p
     */
    public static double probability(String where, String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(where + ": " + name + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    /**
     * Checks {@code min <= max}, both finite.
     *
     * @param where place
     * @param name parameter name
     * @param min lower bound
     * @param max upper bound
     */
    public static void range(String where, String name, double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite, got (" + min + ", " + max + ")");
        }
        if (min > max) {
            throw new IllegalArgumentException(where + ": " + name + " must have min <= max, got (" + min + ", " + max + ")");
        }
    }

    /**
     * @param where place
     * @param name parameter name
     * @param v value
     * @return v
     */
    public static int positive(String where, String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be > 0, got " + v);
        }
        return v;
    }

    /**
     * @param where place
     * @param name parameter name
     * @param v value
     * @return v
     */
    public static double nonNegative(String where, String name, double v) {
        if (!(v >= 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and >= 0, got " + v);
        }
        return v;
    }
}
