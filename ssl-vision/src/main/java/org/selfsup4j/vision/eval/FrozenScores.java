package org.selfsup4j.vision.eval;

/**
 * Top-1 accuracies of a frozen backbone's features.
 *
 * @param knnTop1 weighted kNN ({@link org.selfsup4j.core.eval.KnnClassifier} defaults)
 * @param linearTop1 linear probe ({@link org.selfsup4j.core.eval.LinearProbe#withDefaults()})
 * @param linearLambda the probe's chosen L2 strength
 */
public record FrozenScores(double knnTop1, double linearTop1, double linearLambda) {
}
