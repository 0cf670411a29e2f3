package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertClose;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertNoGradient;
import static org.selfsup4j.losses.objective.ObjectiveChecks.gaussian;
import static org.selfsup4j.losses.objective.ObjectiveChecks.linear;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.MocoV3Loss;

/** MoCo v3: symmetric contrastive loss of predicted queries against momentum keys; the keys get no gradient. */
class MocoV3ObjectiveTest {
    private static final StepContext CTX = new StepContext(0, 10, 0, 1);
    private static final int N = 5;
    private static final int IN = 6;
    private static final int D = 4;

    /** An objective on float64 linear maps (online seed 1, keys seed 2, predictor seed 3) and its inputs. */
    private record Fixture(Linear key, Linear predictor, MocoV3Objective objective, List<INDArray> x,
                           List<INDArray> e) {
        static Fixture of(long dataSeed) {
            Linear key = linear(IN, D, 2, DataType.DOUBLE);
            Linear predictor = linear(D, D, 3, DataType.DOUBLE);
            MocoV3Objective o = new MocoV3Objective(linear(IN, D, 1, DataType.DOUBLE), key, predictor, 0.2,
                    new CosineMomentumSchedule(0.99, 1.0, 10));
            return new Fixture(key, predictor, o, gaussian(2, N, IN, dataSeed, DataType.DOUBLE),
                    gaussian(2, N, D, dataSeed + 1, DataType.DOUBLE));
        }
    }

    @Test
    void value_isCtrOfEachViewsQueryAgainstTheOtherViewsKey() {
        Fixture f = Fixture.of(20);
        ObjectiveOutput out = f.objective().compute(f.x(), f.e(), CTX);
        // the momentum encoder starts as a copy of the online one (seed 1)
        Linear online = linear(IN, D, 1, DataType.DOUBLE);
        double expected = 0;
        for (int v = 0; v < 2; v++) {
            INDArray q = f.predictor().forward(f.e().get(v), true).dup();
            INDArray k = online.forward(f.x().get(1 - v), true).dup();
            expected += new MocoV3Loss(0.2).compute(q, k).value();
        }
        assertEquals(expected, out.loss(), 1e-12);
        assertEquals(0.99, out.metrics().get("tau"), 1e-15);
    }

    @Test
    void embeddingAndPredictorGradients_matchFiniteDifferences_keysGetNone() {
        Fixture f = Fixture.of(30);
        MocoV3Objective o = f.objective();
        List<INDArray> x = f.x();
        List<INDArray> e = f.e();
        o.parameters().forEach(Parameter::zeroGradient);
        ObjectiveOutput out = o.compute(x, e, CTX);
        assertNoGradient("momentum encoder", f.key());
        for (int v = 0; v < 2; v++) {
            int view = v;
            INDArray analytic = out.embeddingGradients().get(v).dup();
            INDArray numeric = FiniteDifferences.gradient(z -> {
                List<INDArray> moved = new ArrayList<>(e);
                moved.set(view, z);
                return o.compute(x, moved, CTX).loss();
            }, e.get(v).dup());
            assertClose("dL/dz" + v, analytic, numeric);
        }
        o.parameters().forEach(Parameter::zeroGradient);
        o.compute(x, e, CTX);
        Parameter w = o.parameters().get(0);
        INDArray analytic = w.gradient().dup();
        assertClose("dL/dW_predictor", analytic, FiniteDifferences.gradient(z -> o.compute(x, e, CTX).loss(), w.value()));
    }

    @Test
    void resume_fromASnapshot_continuesBitForBit() {
        ObjectiveChecks.assertResumesBitExactly(() -> {
            Linear online = linear(IN, D, 1, DataType.FLOAT);
            return new ObjectiveChecks.Run(online, new MocoV3Objective(online, linear(IN, D, 2, DataType.FLOAT),
                    linear(D, D, 3, DataType.FLOAT), 0.2, new CosineMomentumSchedule(0.99, 1.0, 6)));
        }, ObjectiveChecks.noisyViews(2, 8, IN, DataType.FLOAT), 3, 3);
    }

    @Test
    void momentumEncoder_movesTowardsTheOnlineOneAfterAStep() {
        Linear online = linear(IN, D, 1, DataType.DOUBLE);
        Linear key = linear(IN, D, 2, DataType.DOUBLE);
        MocoV3Objective o = new MocoV3Objective(online, key, linear(D, D, 3, DataType.DOUBLE), 0.2,
                new CosineMomentumSchedule(0.5, 0.5, 10));
        online.parameters().get(0).value().addi(1.0);
        INDArray before = key.parameters().get(0).value().dup();
        o.afterOptimizerStep(CTX);
        INDArray after = key.parameters().get(0).value();
        // m = 0.5: halfway to the online weights, which moved by 1
        assertEquals(0.5, after.sub(before).meanNumber().doubleValue(), 1e-12);
        assertFalse(o.state().isEmpty());
    }
}
