package org.selfsup4j.losses.objective;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.EmaCopy;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.StepContext;

/**
 * The momentum copy of the trainer's encoder that BYOL's target, MoCo's key encoder and DINO's
 * teacher all are: {@code target = m_k target + (1 - m_k) online} after each optimizer step, with
 * {@code m_k} from a {@link MomentumSchedule}. It runs in training mode (batch statistics), as the
 * references' targets do, and gets no gradient. Reuses its input buffer.
 */
final class MomentumTarget {
    private final Module network;
    private final EmaCopy ema;
    private final MomentumSchedule schedule;
    private final ViewPairs input = new ViewPairs();

    /**
     * @param online the trainer's encoder
     * @param network a second instance of the same architecture; overwritten with the online weights
     * @param schedule the EMA momentum by step
     */
    MomentumTarget(Module online, Module network, MomentumSchedule schedule) {
        this.network = network;
        this.ema = new EmaCopy(online, network);
        this.schedule = schedule;
    }

    /** {@code target(x)}. */
    INDArray forward(INDArray x) {
        return network.forward(x, true);
    }

    /** {@code target([x_1; x_2])} for the first two views: rows of view 1, then of view 2. */
    INDArray forwardPair(List<INDArray> views) {
        return forward(input.concat(views.get(0), views.get(1)));
    }

    /** The momentum {@code m_k} the update after this step uses (logged as {@code "tau"}). */
    double momentum(StepContext context) {
        return schedule.at(context.step());
    }

    /** The target's live weights and buffers, each name behind {@code prefix} (empty: the bare names). */
    Map<String, INDArray> state(String prefix) {
        Map<String, INDArray> s = new LinkedHashMap<>();
        ema.state().forEach((name, a) -> s.put(prefix + name, a));
        return s;
    }

    /** The EMA update; call after the optimizer step. */
    void update(StepContext context) {
        ema.update(schedule, context.step());
    }
}
