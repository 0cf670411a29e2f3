/**
 * Evaluation of frozen features, the two protocols self-supervised papers report: a weighted
 * k-nearest-neighbour classifier on cosine similarity ({@link org.selfsup4j.core.eval.KnnClassifier},
 * as in InstDisc and solo-learn) and a linear probe, an L2-regularised multinomial logistic regression
 * trained to convergence with its penalty chosen on a held-out split
 * ({@link org.selfsup4j.core.eval.LinearProbe}).
 *
 * <p>Features are rows of a rank-2 array {@code [N, D]}; labels are {@code int[]} class indices
 * {@code 0..C-1}, with {@code C} taken as one more than the largest training label.
 */
package org.selfsup4j.core.eval;
