package org.selfsup4j.losses.objective;

import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.MomentumSchedule;
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
public final class ByolObjective extends CrossPredictionObjective {
    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param target a second instance of the same architecture; its weights are overwritten with the online ones
     * @param predictor the predictor MLP (trained with the encoder)
     * @param momentum the EMA schedule, e.g. {@link ByolMomentumSchedule#byol(long)}
     */
    public ByolObjective(Module online, Module target, Module predictor, MomentumSchedule momentum) {
        super("ByolObjective", "", online, target, predictor, momentum, new ByolLoss()::compute,
                new ByolLoss()::compute);
    }
}
