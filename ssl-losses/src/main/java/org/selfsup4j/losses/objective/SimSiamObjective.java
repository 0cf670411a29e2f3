package org.selfsup4j.losses.objective;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.SimSiamLoss;

/**
 * SimSiam (Chen and He, "Exploring Simple Siamese Representation Learning", CVPR 2021): the
 * trainer's encoder (backbone + projector) gives {@code z}, a predictor MLP gives {@code p}; each
 * view's prediction regresses the other view's projection under stop-gradient. No momentum encoder,
 * no negatives.
 *
 * <pre>
 *   z_v = encoder(x_v),  p_v = predictor(z_v)
 *   loss = D(p_1, stopgrad(z_2)) / 2 + D(p_2, stopgrad(z_1)) / 2,   D(p, z) = -mean_i cos(p_i, z_i)
 * </pre>
 *
 * <p>The encoder's gradient reaches it only through the predictor (the paper's Algorithm 1,
 * {@code z.detach()}): the projections themselves get none. Loss in [-1, 1]; a collapsed encoder
 * reaches -1 as easily as a good one, so there is no chance loss to compare against (the paper's
 * Figure 2 watches the output's standard deviation instead, which the trainer's collapse monitor does).
 */
public final class SimSiamObjective implements Objective {
    private final PredictorPass predictor;
    private final SimSiamLoss loss = new SimSiamLoss();

    /** @param predictor SimSiam's predictor MLP ({@code Linear-BN-ReLU-Linear}, trained with the encoder) */
    public SimSiamObjective(Module predictor) {
        this.predictor = new PredictorPass(predictor);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("SimSiamObjective", embeddings);
        INDArray z1 = embeddings.get(0);
        INDArray z2 = embeddings.get(1);
        INDArray p = predictor.forward(z1, z2);
        LossResult r = loss.compute(ViewPairs.first(p), ViewPairs.second(p), z1, z2);
        return new ObjectiveOutput(r.value(), predictor.backward(r.gradient(0), r.gradient(1)));
    }

    @Override
    public List<Parameter> parameters() {
        return predictor.parameters();
    }
}
