package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/** Class labels of the evaluators: how many classes they name, and how many a prediction got right. */
final class Labels {
    private Labels() {
    }

    /**
     * The number of classes {@code y} names (its largest label + 1), after checking that it holds
     * one non-negative class index per row of {@code x}.
     *
     * @throws IllegalArgumentException otherwise
     */
    static int numClasses(String where, String name, int[] y, INDArray x) {
        Checks.notNull(where, name, y);
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

    /** The fraction of positions where {@code predicted} equals {@code truth}. */
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
