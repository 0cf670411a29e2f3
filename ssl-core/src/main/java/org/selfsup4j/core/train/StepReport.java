package org.selfsup4j.core.train;

import java.util.Map;

/**
 * What a training step reports to listeners.
 *
 * @param step 0-based index of the step just taken
 * @param totalSteps planned number of steps
 * @param epoch 0-based epoch of the step
 * @param loss the objective's loss (NaN or infinite when the step was skipped)
 * @param skipped true when the NaN guard skipped the update
 * @param learningRate the learning rate used
 * @param stepsPerSecond smoothed throughput
 * @param etaSeconds estimated seconds to the last step
 * @param embeddingStd collapse monitor: mean over dimensions of the std over the batch of the
 *                     L2-normalized embeddings of the first view; 0 for a collapsed encoder, about
 *                     {@code 1/sqrt(D)} for a healthy one
 * @param metrics the objective's extra figures
 */
public record StepReport(long step, long totalSteps, long epoch, double loss, boolean skipped, double learningRate,
                         double stepsPerSecond, double etaSeconds, double embeddingStd, Map<String, Double> metrics) {
}
