package org.selfsup4j.losses.objective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.EmaCopy;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MocoV3Loss;

/**
 * MoCo v3 (Chen, Xie and He, "An Empirical Study of Training Self-Supervised Vision Transformers",
 * ICCV 2021): queries from the online encoder (backbone + projector) and a predictor, keys from a
 * momentum copy of backbone + projector; the other keys of the batch are the negatives (no queue).
 *
 * <pre>
 *   q_v = predictor(online(x_v)),  k_v = momentum(x_v)                 (no gradient through k)
 *   loss = ctr(q_1, k_2) + ctr(q_2, k_1),   ctr = 2 tau CE(q k^T / tau, labels i)   ({@link MocoV3Loss})
 *   after each step: momentum = m_k momentum + (1 - m_k) online,  m_k = 1 - (1 - m_0)(cos(pi k / K) + 1) / 2
 * </pre>
 *
 * <p>As the reference ({@code moco/builder.py}, {@code MoCo.forward}) the loss is the sum of the two
 * directions and the momentum rises from its base (0.99) to 1 on a half cosine. The momentum encoder
 * runs in training mode (batch statistics), as the reference's. Deviation: the momentum update
 * follows the optimizer step rather than preceding the keys' computation, the same sequence of
 * updates shifted by one call (as {@link MocoObjective}).
 */
public final class MocoV3Objective implements Objective {
    private final Module momentumEncoder;
    private final EmaCopy ema;
    private final MomentumSchedule momentum;
    private final PredictorPass predictor;
    private final MocoV3Loss loss12;
    private final MocoV3Loss loss21;
    private final ViewPairs keyInput = new ViewPairs();

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param momentumEncoder a second instance of the same architecture; overwritten with the online weights
     * @param predictor the predictor MLP (trained with the encoder)
     * @param temperature tau &gt; 0 ({@link MocoV3Loss#DEFAULT_TEMPERATURE})
     * @param momentum the momentum encoder's EMA schedule
     */
    public MocoV3Objective(Module online, Module momentumEncoder, Module predictor, double temperature,
                           MomentumSchedule momentum) {
        this.momentumEncoder = momentumEncoder;
        this.ema = new EmaCopy(online, momentumEncoder);
        this.momentum = momentum;
        this.predictor = new PredictorPass(predictor);
        this.loss12 = new MocoV3Loss(temperature);
        this.loss21 = new MocoV3Loss(temperature);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("MocoV3Objective", embeddings);
        ViewPairs.requireTwo("MocoV3Objective", inputs);
        INDArray q = predictor.forward(embeddings.get(0), embeddings.get(1));
        INDArray k = momentumEncoder.forward(keyInput.concat(inputs.get(0), inputs.get(1)), true);
        LossResult r12 = loss12.compute(ViewPairs.first(q), ViewPairs.second(k));
        LossResult r21 = loss21.compute(ViewPairs.second(q), ViewPairs.first(k));
        return new ObjectiveOutput(r12.value() + r21.value(), predictor.backward(r12.gradient(0), r21.gradient(0)),
                Map.of("tau", momentum.at(context.step())));
    }

    /** {@code 4 tau ln N}: two directions, each {@code 2 tau} times the cross-entropy of N equal logits. */
    @Override
    public double chanceLoss(long batchSize) {
        return 4.0 * loss12.temperature() * Math.log(batchSize);
    }

    @Override
    public List<Parameter> parameters() {
        return predictor.parameters();
    }

    /** The momentum encoder's weights and batch-norm statistics under {@code "momentum/"}, as {@link MocoObjective}'s. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        ema.state().forEach((name, a) -> s.put("momentum/" + name, a));
        return s;
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        ema.update(momentum, context.step());
    }
}
