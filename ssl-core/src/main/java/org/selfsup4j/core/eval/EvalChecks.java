package org.selfsup4j.core.eval;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the evaluators; messages name the method, the expectation and what came. */
final class EvalChecks {
    private EvalChecks() {
    }

    static void features(String where, String name, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(where + ": " + name + " must not be null");
        }
        if (x.rank() != 2 || x.rows() == 0 || x.columns() == 0) {
            throw new IllegalArgumentException(where + ": " + name + " must be a non-empty rank-2 array [N, D], got shape "
                    + Arrays.toString(x.shape()));
        }
        if (!x.dataType().isFPType() && !x.dataType().isIntType()) {
            throw new IllegalArgumentException(where + ": " + name + " must be numeric, got " + x.dataType());
        }
    }

    static void sameWidth(String where, INDArray train, INDArray test) {
        if (train.columns() != test.columns()) {
            throw new IllegalArgumentException(where + ": train and test features must have the same width D, got "
                    + Arrays.toString(train.shape()) + " and " + Arrays.toString(test.shape()));
        }
    }

    /** Checks labels against the rows of {@code x}; returns the number of classes (max label + 1). */
    static int labels(String where, String name, int[] y, INDArray x) {
        if (y == null) {
            throw new IllegalArgumentException(where + ": " + name + " must not be null");
        }
        if (y.length != x.rows()) {
            throw new IllegalArgumentException(where + ": " + name + " must have one label per row, got " + y.length
                    + " labels for " + x.rows() + " rows");
        }
        int max = -1;
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0) {
                throw new IllegalArgumentException(where + ": " + name + " must be non-negative class indices, got "
                        + y[i] + " at " + i);
            }
            max = Math.max(max, y[i]);
        }
        return max + 1;
    }

    static double accuracy(int[] predicted, int[] truth) {
        int hit = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                hit++;
            }
        }
        return (double) hit / truth.length;
    }
}
