package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Optimizer;

/**
 * Two parameter groups, as torch's optimizer param groups: BYOL's predictor (the trainer names its
 * parameters {@value #PREDICTOR_PREFIX}...) steps with {@code predictor}, built on the base schedule
 * scaled by a multiple; every other parameter steps with {@code base}. Both are the same kind of
 * optimizer with the same settings. The state of the two is keyed by parameter name, so the groups'
 * keys never collide and a checkpoint holds them as one map.
 */
final class PredictorScaledOptimizer implements Optimizer {
    /** How {@link org.selfsup4j.core.train.Trainer} names {@link org.selfsup4j.losses.objective.ByolObjective}'s predictor. */
    static final String PREDICTOR_PREFIX = "objective.predictor.";

    private final Optimizer base;
    private final Optimizer predictor;
    private final double scale;
    private List<Parameter> split;
    private final List<Parameter> baseGroup = new ArrayList<>();
    private final List<Parameter> predictorGroup = new ArrayList<>();

    /**
     * @param base the optimizer of every parameter but the predictor's
     * @param predictor the predictor's, on {@code scale} times the base schedule
     * @param scale the multiple (recorded for {@link #scale()})
     */
    PredictorScaledOptimizer(Optimizer base, Optimizer predictor, double scale) {
        this.base = base;
        this.predictor = predictor;
        this.scale = scale;
    }

    /** @return the predictor's learning-rate multiple */
    double scale() {
        return scale;
    }

    /** @return the optimizer of the non-predictor parameters */
    Optimizer base() {
        return base;
    }

    /** Splits by name once per list: the trainer passes the same list every step. */
    private void split(List<Parameter> parameters) {
        if (parameters == split) {
            return;
        }
        baseGroup.clear();
        predictorGroup.clear();
        for (Parameter p : parameters) {
            (p.name().startsWith(PREDICTOR_PREFIX) ? predictorGroup : baseGroup).add(p);
        }
        split = parameters;
    }

    @Override
    public void step(List<Parameter> parameters, long step) {
        split(parameters);
        base.step(baseGroup, step);
        predictor.step(predictorGroup, step);
    }

    @Override
    public String stepAndFindNonFinite(List<Parameter> parameters, long step) {
        split(parameters);
        String bad = base.stepAndFindNonFinite(baseGroup, step);
        return bad != null ? bad : predictor.stepAndFindNonFinite(predictorGroup, step);
    }

    @Override
    public double learningRate(long step) {
        return base.learningRate(step);
    }

    @Override
    public Map<String, INDArray> state(List<Parameter> parameters) {
        split(parameters);
        Map<String, INDArray> s = new LinkedHashMap<>(base.state(baseGroup));
        s.putAll(predictor.state(predictorGroup));
        return s;
    }
}
