package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SimSiamLossTest {

    static Stream<Arguments> fixtures() {
        return FixtureRuns.inBothTypes("simsiam.json");
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray p1 = Nd4j.createFromArray(new double[][] {{3, 4}, {1, 0}});
        INDArray z2 = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}});
        INDArray p2 = Nd4j.createFromArray(new double[][] {{0, 2}, {-1, 0}});
        INDArray z1 = Nd4j.createFromArray(new double[][] {{1, 1}, {1, 0}});
        // D(p1, z2) = -(3/5 + 1/sqrt 2) / 2, D(p2, z1) = -(1/sqrt 2 - 1) / 2
        double expected = 0.5 * (-(0.6 + Math.sqrt(0.5)) / 2) + 0.5 * (-(Math.sqrt(0.5) - 1) / 2);
        assertEquals(expected, new SimSiamLoss().compute(p1, p2, z1, z2).value(), 1e-15);
    }

    @Test
    void compute_alignedPredictions_isMinusOne_oppositePredictions_isPlusOne() {
        INDArray z1 = LossTesting.randn(1, DataType.DOUBLE, 4, 3);
        INDArray z2 = LossTesting.randn(2, DataType.DOUBLE, 4, 3);
        SimSiamLoss loss = new SimSiamLoss();
        assertEquals(-1.0, loss.compute(z2.mul(3), z1.mul(0.5), z1, z2).value(), 1e-14);
        assertEquals(1.0, loss.compute(z2.mul(-3), z1.mul(-0.5), z1, z2).value(), 1e-14);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void compute_matchesPyTorch(LossTesting.FixtureCase c, DataType type) {
        double tol = FixtureRuns.tolerance(type, 1e-10, 1e-5);
        INDArray[] x = c.inputs(type);
        LossResult r = new SimSiamLoss().compute(x[0], x[1], x[2], x[3]);
        assertValueClose(c.value(), r.value(), tol, "value");
        assertEquals(2, r.arity(), "the projections are under stop-gradient");
        assertClose(c.gradients().get(0), r.gradient(0), tol, "dp1");
        assertClose(c.gradients().get(1), r.gradient(1), tol, "dp2");
    }

    @Test
    void gradients_matchFiniteDifferences() {
        SimSiamLoss loss = new SimSiamLoss();
        INDArray z1 = LossTesting.randn(4, DataType.DOUBLE, 5, 6);
        INDArray z2 = LossTesting.randn(5, DataType.DOUBLE, 5, 6);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1], z1, z2), 1e-6,
                LossTesting.randn(2, DataType.DOUBLE, 5, 6), LossTesting.randn(3, DataType.DOUBLE, 5, 6));
    }

    @Test
    void compute_float32LargeBatch_matchesFloat64() {
        // 300 x 260 takes ByolLoss's fused, chunked float32 kernel
        INDArray[] x = new INDArray[4];
        for (int i = 0; i < 4; i++) {
            x[i] = LossTesting.randn(40 + i, DataType.DOUBLE, 300, 260);
        }
        LossResult exact = new SimSiamLoss().compute(x[0], x[1], x[2], x[3]);
        LossResult fast = new SimSiamLoss().compute(x[0].castTo(DataType.FLOAT), x[1].castTo(DataType.FLOAT),
                x[2].castTo(DataType.FLOAT), x[3].castTo(DataType.FLOAT));
        assertValueClose(exact.value(), fast.value(), 1e-6, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-5, "dp1");
        assertClose(exact.gradient(1), fast.gradient(1), 1e-5, "dp2");
    }

    @Test
    void compute_badInputs_throwNamingTheArgument() {
        INDArray a = Nd4j.ones(DataType.FLOAT, 2, 4);
        var shape = assertThrows(IllegalArgumentException.class,
                () -> new SimSiamLoss().compute(a, a, a, Nd4j.ones(DataType.FLOAT, 2, 5)));
        assertTrue(shape.getMessage().startsWith("SimSiamLoss.compute: p1 and z2 must have the same shape"),
                shape.getMessage());
        var type = assertThrows(IllegalArgumentException.class,
                () -> new SimSiamLoss().compute(a, Nd4j.ones(DataType.DOUBLE, 2, 4), a, a));
        assertTrue(type.getMessage().contains("p2") && type.getMessage().contains("DOUBLE"), type.getMessage());
        var rank = assertThrows(IllegalArgumentException.class,
                () -> new SimSiamLoss().compute(Nd4j.ones(DataType.FLOAT, 2, 4, 1), a, a, a));
        assertTrue(rank.getMessage().contains("p1 must have rank 2"), rank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SimSiamLoss().compute(a, a, null, a));
    }
}
