package org.selfsup4j.losses.objective;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.TwoViewLoss;

/**
 * An objective that is one {@link TwoViewLoss} between the embeddings of the two views, with
 * nothing else to train or update (SimCLR, Barlow Twins, VICReg): the loss's value, its two
 * gradients and its terms.
 */
abstract class TwoViewObjective implements Objective {
    private final String name;
    private final TwoViewLoss loss;

    /**
     * @param name the objective's name in messages
     * @param loss the loss, owned by this objective (its gradients are reused buffers)
     */
    TwoViewObjective(String name, TwoViewLoss loss) {
        this.name = name;
        this.loss = loss;
    }

    @Override
    public final ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo(name, embeddings);
        LossResult r = loss.compute(embeddings.get(0), embeddings.get(1));
        return new ObjectiveOutput(r.value(), List.of(r.gradient(0), r.gradient(1)), r.terms());
    }
}
