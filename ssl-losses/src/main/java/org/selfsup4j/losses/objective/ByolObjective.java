package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.ByolLoss;

/**
 * BYOL (Grill et al. 2020): the online network (the trainer's encoder: backbone + projector) feeds a
 * predictor; the target network is an EMA copy of the online one and gets no gradient.
 *
 * <pre>
 *   p_v = predictor(online(x_v)),  z'_v = target(x_v)
 *   loss = L(p_1, z'_2) + L(p_2, z'_1),   L(p, z) = mean_i 2 - 2 cos(p_i, z_i)
 *   after each step: target = tau_k target + (1 - tau_k) online,
 *                    tau_k = 1 - (1 - tau_base)(cos(pi k / K) + 1) / 2
 * </pre>
 *
 * <p>The symmetric sum follows the paper (its loss is {@code L + L~}). The target runs in training
 * mode (batch statistics), as in the paper's implementation.
 */
public final class ByolObjective implements Objective {
    private final CrossPrediction step;

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param target a second instance of the same architecture; its weights are overwritten with the online ones
     * @param predictor the predictor MLP (trained with the encoder)
     * @param momentum the EMA schedule, e.g. {@link ByolMomentumSchedule#byol(long)}
     */
    public ByolObjective(Module online, Module target, Module predictor, MomentumSchedule momentum) {
        this.step = new CrossPrediction("ByolObjective", online, target, predictor, momentum,
                new ByolLoss()::compute, new ByolLoss()::compute);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        return step.compute(inputs, embeddings, context);
    }

    @Override
    public List<Parameter> parameters() {
        return step.parameters();
    }

    @Override
    public Map<String, INDArray> state() {
        return step.state("");
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        step.afterOptimizerStep(context);
    }
}
