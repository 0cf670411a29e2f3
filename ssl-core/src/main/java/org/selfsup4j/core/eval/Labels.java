package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * Class labels of the evaluators: the checks of a train/test split, how many classes the labels name,
 * and how many a prediction got right.
 */
final class Labels {
    private Labels() {
    }

    /**
     * The checks both evaluators make on a train/test split: two numeric matrices of the same width D
     * and one non-negative label per training row.
     *
     * @return the number of classes the training labels name ({@link #numClasses})
     * @throws IllegalArgumentException otherwise
     */
    static int trainTestSplit(String where, INDArray trainX, int[] trainY, INDArray testX) {
        Checks.numericMatrix(where, "trainX", trainX);
        Checks.numericMatrix(where, "testX", testX);
        Checks.argument(trainX.columns() == testX.columns(), where,
                "train and test features must have the same width D, got " + Checks.shape(trainX) + " and "
                        + Checks.shape(testX));
        return numClasses(where, "trainY", trainY, trainX);
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

    /**
     * Refuses labels naming fewer than two distinct classes. An accuracy over one class is 1.0 for
     * any features (every vote and every softmax can only name that class), so a report of it would
     * look like a perfect encoder; call after {@link #numClasses}, which checks the labels.
     *
     * @throws IllegalArgumentException when {@code y} holds fewer than two distinct labels
     */
    static void atLeastTwoClasses(String where, String name, int[] y) {
        java.util.BitSet seen = new java.util.BitSet();
        for (int label : y) {
            seen.set(label);
            if (seen.cardinality() >= 2) {
                return;
            }
        }
        throw new IllegalArgumentException(where + ": " + name + " must hold at least 2 classes for an accuracy to"
                + " mean anything, got " + (y.length == 0 ? "no labels" : "only class " + y[0] + " in all "
                + y.length + " rows") + " (a one-class set scores 1.0 whatever the features)");
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
