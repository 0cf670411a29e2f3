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

class MocoV3LossTest {

    static Stream<Arguments> fixtures() {
        return FixtureRuns.inBothTypes("mocov3.json");
    }

    @Test
    void compute_orthonormalPairs_matchClosedForm() {
        // q_i = k_i = e_i (scaled): s_ii = 1/tau, s_ij = 0, so ctr = 2 tau log(1 + (N - 1) e^(-1/tau))
        double t = 0.2;
        int n = 4;
        INDArray q = Nd4j.eye(n).castTo(DataType.DOUBLE).muli(3.0);
        INDArray k = Nd4j.eye(n).castTo(DataType.DOUBLE).muli(0.25);
        double expected = 2 * t * Math.log(1 + (n - 1) * Math.exp(-1 / t));
        assertEquals(expected, new MocoV3Loss(t).compute(q, k).value(), 1e-14);
    }

    @Test
    void defaults_nameThePapersTemperatures() {
        assertEquals(0.2, MocoV3Loss.VIT_TEMPERATURE);
        assertEquals(1.0, MocoV3Loss.RESNET_TEMPERATURE);
        assertEquals(MocoV3Loss.VIT_TEMPERATURE, new MocoV3Loss().temperature());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void compute_matchesPyTorch(LossTesting.FixtureCase c, DataType type) {
        double tol = FixtureRuns.tolerance(type, 1e-10, 1e-5);
        INDArray[] x = c.inputs(type);
        LossResult r = new MocoV3Loss(c.param("temperature")).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), tol, "value");
        assertClose(c.gradients().get(0), r.gradient(0), tol, "dq");
        assertClose(c.gradients().get(1), r.gradient(1), tol, "dk");
    }

    @Test
    void gradients_matchFiniteDifferences_unshiftedAndShifted() {
        MocoV3Loss loss = new MocoV3Loss(0.2);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6,
                LossTesting.randn(2, DataType.DOUBLE, 5, 4), LossTesting.randn(3, DataType.DOUBLE, 5, 4));
        // 1/tau = 400 > 300 takes the float64 path that shifts each row by its maximum; near-parallel
        // rows keep the logits' spread O(1) so the softmax is not saturated and differences are meaningful
        MocoV3Loss cold = new MocoV3Loss(0.0025);
        INDArray base = Nd4j.ones(DataType.DOUBLE, 5, 4);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> cold.compute(a[0], a[1]), 1e-5,
                base.add(LossTesting.randn(4, DataType.DOUBLE, 5, 4).muli(0.03)),
                base.add(LossTesting.randn(5, DataType.DOUBLE, 5, 4).muli(0.03)));
    }

    @Test
    void compute_float32Batch256_matchesFloat64() {
        INDArray q = LossTesting.randn(7, DataType.DOUBLE, 256, 64);
        INDArray k = LossTesting.randn(8, DataType.DOUBLE, 256, 64);
        LossResult exact = new MocoV3Loss().compute(q, k);
        LossResult fast = new MocoV3Loss().compute(q.castTo(DataType.FLOAT), k.castTo(DataType.FLOAT));
        assertValueClose(exact.value(), fast.value(), 1e-5, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-5, "dq");
        assertClose(exact.gradient(1), fast.gradient(1), 1e-5, "dk");
    }

    @Test
    void keyGradient_afterALaterCompute_throwsIllegalState() {
        MocoV3Loss loss = new MocoV3Loss();
        INDArray q = LossTesting.randn(1, DataType.DOUBLE, 3, 4);
        LossResult first = loss.compute(q, q.mul(2));
        loss.compute(q, q.mul(-1));
        var e = assertThrows(IllegalStateException.class, () -> first.gradient(1));
        assertTrue(e.getMessage().startsWith("MocoV3Loss"), e.getMessage());
    }

    @Test
    void badInputs_throwNamingWhatWasExpected() {
        INDArray a = Nd4j.ones(DataType.FLOAT, 3, 4);
        var shape = assertThrows(IllegalArgumentException.class,
                () -> new MocoV3Loss().compute(a, Nd4j.ones(DataType.FLOAT, 2, 4)));
        assertEquals("MocoV3Loss.compute: q and k must have the same shape, got [3, 4] and [2, 4]", shape.getMessage());
        var type = assertThrows(IllegalArgumentException.class,
                () -> new MocoV3Loss().compute(a, Nd4j.ones(DataType.DOUBLE, 3, 4)));
        assertTrue(type.getMessage().contains("same data type"), type.getMessage());
        for (double t : new double[] {0, -0.2, Double.NaN, Double.POSITIVE_INFINITY}) {
            var temp = assertThrows(IllegalArgumentException.class, () -> new MocoV3Loss(t));
            assertTrue(temp.getMessage().startsWith("MocoV3Loss: temperature must be finite and > 0"),
                    temp.getMessage());
        }
    }
}
