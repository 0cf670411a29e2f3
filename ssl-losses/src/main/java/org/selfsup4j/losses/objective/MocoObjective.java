package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.ConstantMomentum;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.InfoNceLoss;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MocoQueue;

/**
 * MoCo v2 (He et al. 2020; Chen et al. 2020): queries from the online encoder (backbone + MLP
 * head), keys from a momentum copy, negatives from a queue of past keys.
 *
 * <pre>
 *   q_v = online(x_v),  k_v = momentum(x_v)            (no gradient through k)
 *   loss = ( InfoNCE(q_1, k_2, queue) + InfoNCE(q_2, k_1, queue) ) / 2
 *   after each step: momentum = m momentum + (1 - m) online  (m = 0.999);  enqueue k_1 and k_2
 * </pre>
 *
 * <p>Deviation from the paper's pseudo-code: the loss is symmetrized over the two views (as
 * solo-learn and MoCo v3 do) so both views train the encoder; the paper uses one direction. The
 * momentum update follows the optimizer step rather than preceding the key computation: the
 * same sequence of updates shifted by one call.
 */
public final class MocoObjective implements Objective {
    private final MomentumTarget momentumEncoder;
    private final MocoQueue queue;
    private final InfoNceLoss loss12;
    private final InfoNceLoss loss21;
    private final ViewPairs pendingKeys = new ViewPairs();
    private INDArray keysToEnqueue;

    /**
     * @param online the trainer's encoder (backbone + head)
     * @param momentumEncoder a second instance of the same architecture; overwritten with the online weights
     * @param queue the negatives; its dimension must equal the embedding size
     * @param temperature InfoNCE's tau (MoCo v2: {@link InfoNceLoss#DEFAULT_TEMPERATURE})
     * @param momentum key-encoder momentum (MoCo: {@link ConstantMomentum#moco()})
     */
    public MocoObjective(Module online, Module momentumEncoder, MocoQueue queue, double temperature,
                         MomentumSchedule momentum) {
        this.momentumEncoder = new MomentumTarget(online, momentumEncoder, momentum);
        this.queue = queue;
        this.loss12 = new InfoNceLoss(temperature);
        this.loss21 = new InfoNceLoss(temperature);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo("MocoObjective", embeddings);
        ViewPairs.requireTwo("MocoObjective", inputs);
        INDArray q = embeddings.get(0);
        if (q.rank() != 2 || q.size(1) != queue.dim()) {
            // an explicit branch, not Checks.argument: this runs every step, so the message is built only on failure
            throw new IllegalArgumentException("MocoObjective: embeddings must be [N, " + queue.dim()
                    + "] to match the queue, got " + Checks.shape(q));
        }
        INDArray k = momentumEncoder.forwardPair(inputs);
        INDArray negatives = queue.negatives();
        // The queue holds unit keys (MocoQueue normalizes on enqueue): skip re-normalizing 65,536 rows.
        LossResult r12 = loss12.compute(embeddings.get(0), ViewPairs.second(k), negatives, true);
        LossResult r21 = loss21.compute(embeddings.get(1), ViewPairs.first(k), negatives, true);
        keysToEnqueue = pendingKeys.concat(ViewPairs.first(k), ViewPairs.second(k));
        return new ObjectiveOutput(0.5 * (r12.value() + r21.value()),
                List.of(r12.gradient(0).muli(0.5), r21.gradient(0).muli(0.5)));
    }

    /** {@code ln(K + 1)}: each query picks its key among itself and the queue's K negatives. */
    @Override
    public double chanceLoss(long batchSize) {
        return Math.log(queue.size() + 1.0);
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = momentumEncoder.state("momentum/");
        queue.state().forEach((name, a) -> s.put("queue/" + name, a));
        return s;
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        momentumEncoder.update(context);
        if (keysToEnqueue != null) {
            queue.enqueue(keysToEnqueue);
            keysToEnqueue = null;
        }
    }
}
