package org.selfsup4j.losses.objective;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.VicRegLoss;

/** VICReg (Bardes et al. 2022) on the expander outputs of two views; reports the three terms. */
public final class VicRegObjective implements Objective {
    private final VicRegLoss loss;

    /** With the paper's weights 25 / 25 / 1. */
    public VicRegObjective() {
        this(new VicRegLoss());
    }

    public VicRegObjective(VicRegLoss loss) {
        this.loss = loss;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("VicRegObjective", embeddings);
        LossResult r = loss.compute(embeddings.get(0), embeddings.get(1));
        return new ObjectiveOutput(r.value(), List.of(r.gradient(0), r.gradient(1)), r.terms());
    }
}
