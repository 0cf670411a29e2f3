package org.selfsup4j.losses.objective;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.BarlowTwinsLoss;
import org.selfsup4j.losses.LossResult;

/** Barlow Twins (Zbontar et al. 2021) on the projector outputs of two views. */
public final class BarlowTwinsObjective implements Objective {
    private final BarlowTwinsLoss loss;

    /** @param lambda off-diagonal weight, e.g. {@link BarlowTwinsLoss#DEFAULT_LAMBDA} */
    public BarlowTwinsObjective(double lambda) {
        this.loss = new BarlowTwinsLoss(lambda);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("BarlowTwinsObjective", embeddings);
        LossResult r = loss.compute(embeddings.get(0), embeddings.get(1));
        return new ObjectiveOutput(r.value(), List.of(r.gradient(0), r.gradient(1)), r.terms());
    }
}
