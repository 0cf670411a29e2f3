package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertClose;
import static org.selfsup4j.losses.objective.ObjectiveChecks.gaussian;
import static org.selfsup4j.losses.objective.ObjectiveChecks.linear;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.SimSiamLoss;

/** SimSiam: the gradient reaches the embeddings through the predictor only; the projections are stop-gradient targets. */
class SimSiamObjectiveTest {
    private static final StepContext CTX = new StepContext(0, 10, 0, 1);
    private static final int N = 5;
    private static final int D = 4;

    /** The loss with the targets z held at {@code targets}: what the objective's gradient must differentiate. */
    private static double frozenTargets(Linear predictor, INDArray e1, INDArray e2, List<INDArray> targets) {
        INDArray p = predictor.forward(Nd4j.concat(0, e1, e2), true).dup();
        return new SimSiamLoss().compute(ViewPairs.first(p), ViewPairs.second(p), targets.get(0), targets.get(1))
                .value();
    }

    @Test
    void embeddingGradient_matchesFiniteDifferencesWithTheTargetsFrozen() {
        Linear predictor = linear(D, D, 3, DataType.DOUBLE);
        SimSiamObjective o = new SimSiamObjective(predictor);
        List<INDArray> e = gaussian(2, N, D, 10, DataType.DOUBLE);
        ObjectiveOutput out = o.compute(e, e, CTX);
        INDArray analytic = out.embeddingGradients().get(0).dup();
        assertEquals(frozenTargets(predictor, e.get(0), e.get(1), e), out.loss(), 1e-12);

        INDArray x = e.get(0).dup();
        INDArray numeric = FiniteDifferences.gradient(v -> frozenTargets(predictor, v, e.get(1), e), x);
        assertClose("dL/dz1", analytic, numeric);
        // without the stop-gradient the derivative differs: the check above could fail
        INDArray unstopped = FiniteDifferences.gradient(v -> frozenTargets(predictor, v, e.get(1), List.of(v, e.get(1))), x);
        assertTrue(FiniteDifferences.maxRelativeError(analytic, unstopped, 1e-8) > 1e-3);
    }

    @Test
    void predictorGradient_matchesFiniteDifferences() {
        Linear predictor = linear(D, D, 4, DataType.DOUBLE);
        SimSiamObjective o = new SimSiamObjective(predictor);
        List<INDArray> e = gaussian(2, N, D, 11, DataType.DOUBLE);
        Parameter w = o.parameters().get(0);
        assertEquals("predictor.weight", w.name());
        o.parameters().forEach(Parameter::zeroGradient);
        o.compute(e, e, CTX);
        INDArray analytic = w.gradient().dup();
        INDArray numeric = FiniteDifferences.gradient(v -> frozenTargets(predictor, e.get(0), e.get(1), e), w.value());
        assertClose("dL/dW_predictor", analytic, numeric);
    }

    @Test
    void compute_otherThanTwoViews_throwsNamingTheCount() {
        SimSiamObjective o = new SimSiamObjective(linear(D, D, 1, DataType.DOUBLE));
        List<INDArray> e = gaussian(3, N, D, 1, DataType.DOUBLE);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> o.compute(e, e, CTX));
        assertTrue(ex.getMessage().contains("expected 2 views, got 3"), ex.getMessage());
    }
}
