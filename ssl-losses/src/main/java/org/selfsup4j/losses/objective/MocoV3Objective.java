package org.selfsup4j.losses.objective;

import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.MomentumSchedule;
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
 * updates shifted by one call (as {@link MocoObjective}). State: the momentum encoder's weights and
 * batch-norm statistics under {@code "momentum/"}, as {@link MocoObjective}'s.
 */
public final class MocoV3Objective extends CrossPredictionObjective {
    private final double temperature;

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param momentumEncoder a second instance of the same architecture; overwritten with the online weights
     * @param predictor the predictor MLP (trained with the encoder)
     * @param temperature tau &gt; 0 ({@link MocoV3Loss#DEFAULT_TEMPERATURE})
     * @param momentum the momentum encoder's EMA schedule
     */
    public MocoV3Objective(Module online, Module momentumEncoder, Module predictor, double temperature,
                           MomentumSchedule momentum) {
        super("MocoV3Objective", "momentum/", online, momentumEncoder, predictor, momentum,
                new MocoV3Loss(temperature)::compute, new MocoV3Loss(temperature)::compute);
        this.temperature = temperature;
    }

    /** {@code 4 tau ln N}: two directions, each {@code 2 tau} times the cross-entropy of N equal logits. */
    @Override
    public double chanceLoss(long batchSize) {
        return 4.0 * temperature * Math.log(batchSize);
    }
}
