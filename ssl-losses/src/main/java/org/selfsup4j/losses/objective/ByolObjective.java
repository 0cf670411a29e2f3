package org.selfsup4j.losses.objective;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.EmaCopy;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.ByolLoss;
import org.selfsup4j.losses.LossResult;

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
    private final Module predictor;
    private final Module target;
    private final EmaCopy ema;
    private final MomentumSchedule momentum;
    private final ByolLoss loss12 = new ByolLoss();
    private final ByolLoss loss21 = new ByolLoss();
    private final ViewPairs predictorInput = new ViewPairs();
    private final ViewPairs targetInput = new ViewPairs();
    private final ViewPairs predictorGrad = new ViewPairs();

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param target a second instance of the same architecture; its weights are overwritten with the online ones
     * @param predictor the predictor MLP (trained with the encoder)
     * @param momentum the EMA schedule, e.g. {@link ByolMomentumSchedule#byol(long)}
     */
    public ByolObjective(Module online, Module target, Module predictor, MomentumSchedule momentum) {
        this.predictor = predictor;
        this.target = target;
        this.ema = new EmaCopy(online, target);
        this.momentum = momentum;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("ByolObjective", embeddings);
        ViewPairs.requireTwo("ByolObjective", inputs);
        INDArray p = predictor.forward(predictorInput.concat(embeddings.get(0), embeddings.get(1)), true);
        INDArray z = target.forward(targetInput.concat(inputs.get(0), inputs.get(1)), true);
        LossResult r12 = loss12.compute(ViewPairs.first(p), ViewPairs.second(z));
        LossResult r21 = loss21.compute(ViewPairs.second(p), ViewPairs.first(z));
        INDArray gradP = predictorGrad.concat(r12.gradient(0), r21.gradient(0));
        INDArray gradE = predictor.backward(gradP);
        return new ObjectiveOutput(r12.value() + r21.value(),
                List.of(ViewPairs.first(gradE), ViewPairs.second(gradE)),
                Map.of("tau", momentum.at(context.step())));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : predictor.parameters()) {
            ps.add(p.prefixed("predictor"));
        }
        return ps;
    }

    @Override
    public Map<String, INDArray> state() {
        return ema.state();
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        ema.update(momentum, context.step());
    }
}
