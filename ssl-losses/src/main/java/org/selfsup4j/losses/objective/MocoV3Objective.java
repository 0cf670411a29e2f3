package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
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
    private final double temperature;
    private final CrossPrediction step;

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param momentumEncoder a second instance of the same architecture; overwritten with the online weights
     * @param predictor the predictor MLP (trained with the encoder)
     * @param temperature tau &gt; 0 ({@link MocoV3Loss#DEFAULT_TEMPERATURE})
     * @param momentum the momentum encoder's EMA schedule
     */
    public MocoV3Objective(Module online, Module momentumEncoder, Module predictor, double temperature,
                           MomentumSchedule momentum) {
        MocoV3Loss loss12 = new MocoV3Loss(temperature);
        this.temperature = loss12.temperature();
        this.step = new CrossPrediction("MocoV3Objective", online, momentumEncoder, predictor, momentum,
                loss12::compute, new MocoV3Loss(temperature)::compute);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        return step.compute(inputs, embeddings, context);
    }

    /** {@code 4 tau ln N}: two directions, each {@code 2 tau} times the cross-entropy of N equal logits. */
    @Override
    public double chanceLoss(long batchSize) {
        return 4.0 * temperature * Math.log(batchSize);
    }

    @Override
    public List<Parameter> parameters() {
        return step.parameters();
    }

    /** The momentum encoder's weights and batch-norm statistics under {@code "momentum/"}, as {@link MocoObjective}'s. */
    @Override
    public Map<String, INDArray> state() {
        return step.state("momentum/");
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        step.afterOptimizerStep(context);
    }
}
