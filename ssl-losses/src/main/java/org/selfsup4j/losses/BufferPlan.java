package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
}
