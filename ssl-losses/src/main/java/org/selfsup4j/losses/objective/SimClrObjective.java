package org.selfsup4j.losses.objective;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.NtXentLoss;

/**
 * SimCLR (Chen et al. 2020): NT-Xent between the projections of two views. The encoder given to
 * the trainer includes the projection head.
 */
public final class SimClrObjective implements Objective {
    private final NtXentLoss loss;

    /** @param temperature NT-Xent's tau, e.g. {@link NtXentLoss#DEFAULT_TEMPERATURE} */
    public SimClrObjective(double temperature) {
        this.loss = new NtXentLoss(temperature);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("SimClrObjective", embeddings);
        LossResult r = loss.compute(embeddings.get(0), embeddings.get(1));
        return new ObjectiveOutput(r.value(), List.of(r.gradient(0), r.gradient(1)), r.terms());
    }
}
