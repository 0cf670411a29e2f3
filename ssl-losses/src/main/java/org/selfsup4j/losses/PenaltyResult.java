package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Value and gradient of an unweighted auxiliary term ({@link DiversityLoss}, {@link FeaturePenalty}).
 *
 * @param value     the term, before any weight
 * @param statistic a by-product worth logging: the codebook perplexity for {@link DiversityLoss},
 *                  the mean square itself for {@link FeaturePenalty}
 * @param gradient  gradient of {@code value} with respect to the input (same shape); a buffer owned by the
 *                  loss instance, overwritten by its next call
 */
public record PenaltyResult(double value, double statistic, INDArray gradient) {
}
