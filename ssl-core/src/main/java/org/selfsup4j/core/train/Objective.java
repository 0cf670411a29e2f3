package org.selfsup4j.core.train;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;

/**
 * A self-supervised objective, driven by {@link Trainer} the same way whatever it computes.
 *
 * <p>Per step the trainer concatenates the views of a batch, runs the encoder once, and calls
 * {@link #compute} with the views and the encoder's output for each. The objective returns the
 * loss and dLoss/dEmbedding for every view; the trainer back-propagates those through the encoder.
 * An objective may own networks of its own (a projection head, a predictor): it runs their forward
 * and backward inside {@code compute} and lists their {@link #parameters()} so the optimizer updates
 * them. Anything it keeps that is not trained by gradient (a momentum encoder, a queue of keys)
 * goes in {@link #state()} so checkpoints capture it, and is updated in {@link #afterOptimizerStep}.
 */
public interface Objective {

    /**
     * @param inputs the views as fed to the encoder, one array per view, each {@code [N, ...]}
     *               (a momentum encoder needs them)
     * @param embeddings the encoder output for each view, each {@code [N, ...]}; views into the
     *                   encoder's buffer, valid until the next forward
     * @param context step number, schedule position and the step's seeded randomness
     * @return the loss and its gradient with respect to each embedding (same shapes)
     */
    ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context);

    /** Trainable parameters the objective owns (heads, predictors); empty by default. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Live arrays that are part of the run but not trained by gradient (EMA weights, a queue and
     * its pointer, ...), keyed by unique names. Checkpoints save them and restore with {@code assign}.
     */
    default Map<String, INDArray> state() {
        return Map.of();
    }

    /**
     * The loss of an encoder that tells nothing apart, for a batch of {@code batchSize} samples per
     * view: where a diverged or collapsed run sits while every number stays finite (NT-Xent:
     * {@code ln(2N - 1)}, InfoNCE against K negatives: {@code ln(K + 1)}). The trainer's
     * {@link DivergenceMonitor} compares the loss with it. NaN (the default) for objectives without
     * such a value (BYOL, reconstruction).
     *
     * @param batchSize N, the samples per view
     * @return the chance loss, or NaN
     */
    default double chanceLoss(long batchSize) {
        return Double.NaN;
    }

    /** Called after every applied optimizer step (not after a skipped one): EMA updates, queue pushes. */
    default void afterOptimizerStep(StepContext context) {
    }
}
