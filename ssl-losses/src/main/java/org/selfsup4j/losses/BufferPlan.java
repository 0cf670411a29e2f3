package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * The buffers and fixed views a two-view loss kernel reuses across calls, for one data type and
 * batch shape {@code [N, D]}. A training loop calls a loss with the same shapes every step, so a
 * loss keeps one plan and makes a new one only when {@link #fits} says the inputs changed: no
 * per-step off-heap allocation.
 */
abstract class BufferPlan {
    final DataType type;
    final int n;
    final int d;
    /** A third size the buffers depend on (InfoNCE's K negatives, multi-crop's V crops), 0 if none. */
    final int m;

    BufferPlan(DataType type, int n, int d) {
        this(type, n, d, 0);
    }

    BufferPlan(DataType type, int n, int d, int m) {
        this.type = type;
        this.n = n;
        this.d = d;
        this.m = m;
    }

    /** Whether this plan's buffers serve inputs of this type and shape {@code [n, d]} (no third size). */
    final boolean fits(DataType type, int n, int d) {
        return fits(type, n, d, 0);
    }

    /** Whether this plan's buffers serve inputs of this type, shape {@code [n, d]} and third size {@code m}. */
    final boolean fits(DataType type, int n, int d, int m) {
        return this.type == type && this.n == n && this.d == d && this.m == m;
    }

    /** A new uninitialised buffer of this plan's type. */
    final INDArray buffer(long rows, long columns) {
        return Nd4j.createUninitialized(type, rows, columns);
    }

    /**
     * The one plan a loss keeps, remade when the inputs' type or shape changes.
     *
     * @param <P> the loss's plan
     */
    static final class Cache<P extends BufferPlan> {
        /** Makes a plan for a type and {@code [n, d]}. */
        interface Factory<P> {
            P make(DataType type, int n, int d);
        }

        /** Makes a plan for a type, {@code [n, d]} and a third size {@code m} ({@link BufferPlan#m}). */
        interface SizedFactory<P> {
            P make(DataType type, int n, int d, int m);
        }

        private final SizedFactory<P> factory;
        private P plan;

        Cache(Factory<P> factory) {
            this.factory = (type, n, d, m) -> factory.make(type, n, d);
        }

        private Cache(SizedFactory<P> factory) {
            this.factory = factory;
        }

        /** A cache of plans that depend on a third size besides the type and {@code [n, d]}. */
        static <P extends BufferPlan> Cache<P> sized(SizedFactory<P> factory) {
            return new Cache<>(factory);
        }

        /** The kept plan if it {@link BufferPlan#fits fits}, else a new one, kept from now on. */
        P get(DataType type, int n, int d) {
            return get(type, n, d, 0);
        }

        /** As {@link #get(DataType, int, int)}, for plans of a {@link #sized} cache. */
        P get(DataType type, int n, int d, int m) {
            if (plan == null || !plan.fits(type, n, d, m)) {
                plan = factory.make(type, n, d, m);
            }
            return plan;
        }

        /** The plan the last {@code get} returned (whose buffers hold that call's results), or null. */
        P last() {
            return plan;
        }

        /**
         * Checks a two-view loss's inputs and returns the plan for them: {@link Checks#matrixPair}
         * (non-empty float matrices of one shape and type), N and D within {@code int}.
         *
         * @throws IllegalArgumentException otherwise, naming {@code where} and the argument
         */
        P forPair(String where, String na, INDArray a, String nb, INDArray b) {
            Checks.matrixPair(where, na, a, nb, b);
            int n = Checks.intSize(where, "N", a.size(0));
            int d = Checks.intSize(where, "D", a.size(1));
            return get(a.dataType(), n, d);
        }

        /**
         * As {@link #forPair(String, String, INDArray, String, INDArray)}, checking between the two
         * that {@code a} has at least {@code minRows} rows ({@link Checks#minRows}, with {@code why}).
         */
        P forPair(String where, String na, INDArray a, String nb, INDArray b, long minRows, String why) {
            Checks.matrixPair(where, na, a, nb, b);
            Checks.minRows(where, na, a, minRows, why);
            int n = Checks.intSize(where, "N", a.size(0));
            int d = Checks.intSize(where, "D", a.size(1));
            return get(a.dataType(), n, d);
        }
    }
}
