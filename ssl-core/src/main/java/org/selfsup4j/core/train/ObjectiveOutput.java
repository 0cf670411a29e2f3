package org.selfsup4j.core.train;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What an {@link Objective} returns for one step.
 *
 * @param loss the scalar loss
 * @param embeddingGradients dLoss/dEmbedding, one per view, same shapes as the embeddings given
 * @param metrics extra figures to report (e.g. accuracy of the positive, codebook perplexity)
 */
public record ObjectiveOutput(double loss, List<INDArray> embeddingGradients, Map<String, Double> metrics) {
    public ObjectiveOutput {
        Objects.requireNonNull(embeddingGradients, "embeddingGradients");
        embeddingGradients = List.copyOf(embeddingGradients);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public ObjectiveOutput(double loss, List<INDArray> embeddingGradients) {
        this(loss, embeddingGradients, Map.of());
    }
}
