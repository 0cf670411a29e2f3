package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;

/**
 * The objective BYOL and MoCo v3 share, which differ only in the loss between a prediction and a target:
 * <pre>
 *   q_v = predictor(online(x_v)),  k_v = target(x_v)           (no gradient through k)
 *   loss = L(q_1, k_2) + L(q_2, k_1)
 *   after each step: target = m_k target + (1 - m_k) online
 * </pre>
 * Each direction has its own loss instance because a loss's gradient is a buffer reused by its next call.
 */
abstract class CrossPredictionObjective implements Objective {
    private final String who;
    private final String statePrefix;
    private final PredictorPass predictor;
    private final MomentumTarget target;
    private final BiFunction<INDArray, INDArray, LossResult> loss12;
    private final BiFunction<INDArray, INDArray, LossResult> loss21;

    /**
     * @param who the objective's name in messages
     * @param statePrefix put before the target's weight and buffer names in {@link #state()} (empty: none)
     * @param online the trainer's encoder (backbone + projector)
     * @param target a second instance of the same architecture; overwritten with the online weights
     * @param predictor the predictor MLP (trained with the encoder)
     * @param momentum the target's EMA schedule
     * @param loss12 {@code L(q_1, k_2)}, its gradient at index 0 with respect to {@code q_1}
     * @param loss21 {@code L(q_2, k_1)}, a different instance from {@code loss12}
     */
    CrossPredictionObjective(String who, String statePrefix, Module online, Module target, Module predictor, MomentumSchedule momentum,
                             BiFunction<INDArray, INDArray, LossResult> loss12,
                             BiFunction<INDArray, INDArray, LossResult> loss21) {
        this.who = who;
        this.statePrefix = statePrefix;
        this.predictor = new PredictorPass(predictor);
        this.target = new MomentumTarget(online, target, momentum);
        this.loss12 = loss12;
        this.loss21 = loss21;
    }

    @Override
    public final ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ViewPairs.requireTwo(who, embeddings);
        ViewPairs.requireTwo(who, inputs);
        INDArray q = predictor.forward(embeddings.get(0), embeddings.get(1));
        INDArray k = target.forwardPair(inputs);
        LossResult r12 = loss12.apply(ViewPairs.first(q), ViewPairs.second(k));
        LossResult r21 = loss21.apply(ViewPairs.second(q), ViewPairs.first(k));
        return new ObjectiveOutput(r12.value() + r21.value(), predictor.backward(r12.gradient(0), r21.gradient(0)),
                Map.of("tau", target.momentum(context)));
    }

    /** The predictor's parameters under {@code "predictor."}. */
    @Override
    public final List<Parameter> parameters() {
        return predictor.parameters();
    }

    /** The target's live weights and batch-norm statistics, each name behind the state prefix. */
    @Override
    public final Map<String, INDArray> state() {
        return target.state(statePrefix);
    }

    @Override
    public final void afterOptimizerStep(StepContext context) {
        target.update(context);
    }
}
