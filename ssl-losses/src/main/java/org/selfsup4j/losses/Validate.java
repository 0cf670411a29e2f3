package org.selfsup4j.losses;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the loss kernels; messages name the method, the expectation and what came. */
final class Validate {
    private Validate() {
    }

    /** A non-null, non-empty rank-2 floating-point array. */
    static void matrix(String where, String name, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(where + ": " + name + " must not be null");
        }
        if (x.rank() != 2) {
            throw new IllegalArgumentException(where + ": " + name + " must have rank 2 [N, D], got rank " + x.rank()
                    + " with shape " + Arrays.toString(x.shape()));
        }
        if (x.isEmpty() || x.size(0) == 0 || x.size(1) == 0) {
            throw new IllegalArgumentException(where + ": " + name + " must not be empty, got shape "
                    + Arrays.toString(x.shape()));
        }
        DataType t = x.dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            throw new IllegalArgumentException(where + ": " + name + " must be FLOAT or DOUBLE, got " + t);
        }
    }

    static void sameShape(String where, String na, INDArray a, String nb, INDArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(where + ": " + na + " and " + nb + " must have the same shape, got "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
    }

    static void sameType(String where, String na, INDArray a, String nb, INDArray b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(where + ": " + na + " and " + nb + " must have the same data type, got "
                    + a.dataType() + " and " + b.dataType());
        }
    }

    static void minRows(String where, String name, INDArray x, long min, String why) {
        if (x.size(0) < min) {
            throw new IllegalArgumentException(where + ": " + name + " must have at least " + min + " rows (" + why
                    + "), got shape " + Arrays.toString(x.shape()));
        }
    }

    static double positive(String where, String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and > 0, got " + v);
        }
        return v;
    }

    static double nonNegative(String where, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(where + ": " + name + " must be finite and >= 0, got " + v);
        }
        return v;
    }

    /** Array sizes must fit an int index: the kernels build index views with int arithmetic. */
    static int intSize(String where, String name, long n) {
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(where + ": " + name + " is too large, got " + n);
        }
        return (int) n;
    }
}
