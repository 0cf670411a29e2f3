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

    BufferPlan(DataType type, int n, int d) {
        this.type = type;
        this.n = n;
        this.d = d;
    }

    /** Whether this plan's buffers serve inputs of this type and shape {@code [n, d]}. */
    final boolean fits(DataType type, int n, int d) {
        return this.type == type && this.n == n && this.d == d;
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

        private final Factory<P> factory;
        private P plan;

        Cache(Factory<P> factory) {
            this.factory = factory;
        }

        /** The kept plan if it {@link BufferPlan#fits fits}, else a new one, kept from now on. */
        P get(DataType type, int n, int d) {
            if (plan == null || !plan.fits(type, n, d)) {
                plan = factory.make(type, n, d);
            }
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
