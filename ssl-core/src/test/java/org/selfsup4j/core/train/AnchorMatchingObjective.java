package org.selfsup4j.core.train;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A test objective over any number of views: the mean of {@link MatchingViewsObjective}'s loss of
 * view 0 against each other view, so that every view's embedding gets a gradient (view 0's adds up
 * over the pairs). Plain ND4J ops, deterministic, in the embeddings' data type.
 */
final class AnchorMatchingObjective implements Objective {
    private final MatchingViewsObjective pair;

    AnchorMatchingObjective(double temperature) {
        this.pair = new MatchingViewsObjective(temperature);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = embeddings.size();
        List<INDArray> grads = new ArrayList<>();
        grads.add(embeddings.get(0).ulike().assign(0));
        double loss = 0;
        for (int b = 1; b < v; b++) {
            ObjectiveOutput o = pair.compute(List.of(), List.of(embeddings.get(0), embeddings.get(b)), context);
            loss += o.loss() / (v - 1);
            grads.get(0).addi(o.embeddingGradients().get(0).div(v - 1));
            grads.add(o.embeddingGradients().get(1).div(v - 1));
        }
        return new ObjectiveOutput(loss, grads);
    }

    @Override
    public double chanceLoss(long batchSize) {
        return pair.chanceLoss(batchSize);
    }
}
