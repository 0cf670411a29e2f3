package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ByolLossTest {

    static List<LossTesting.FixtureCase> fixtures() {
        return LossTesting.load("byol.json");
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray p = Nd4j.createFromArray(new double[][] {{3, 4}, {1, 0}});
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}});
        // cos = 3/5 and 1/sqrt(2)
        double expected = ((2 - 2 * 0.6) + (2 - 2 * Math.sqrt(0.5))) / 2;
        assertEquals(expected, new ByolLoss().compute(p, z).value(), 1e-15);
    }

    @Test
    void compute_alignedViews_isZero_oppositeViews_isFour() {
        INDArray p = LossTesting.randn(1, DataType.DOUBLE, 4, 3);
        assertEquals(0.0, new ByolLoss().compute(p, p.mul(2.5)).value(), 1e-14);
        assertEquals(4.0, new ByolLoss().compute(p, p.mul(-0.5)).value(), 1e-14);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float64_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        LossResult r = new ByolLoss().compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-10, "dp");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-10, "dz");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float32_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.FLOAT);
        LossResult r = new ByolLoss().compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-4, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-4, "dp");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-4, "dz");
    }

    @Test
    void gradients_matchFiniteDifferences() {
        ByolLoss loss = new ByolLoss();
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6,
                LossTesting.randn(2, DataType.DOUBLE, 4, 5), LossTesting.randn(3, DataType.DOUBLE, 4, 5));
    }

    @Test
    void compute_zeroRow_isFinite() {
        INDArray p = LossTesting.randn(4, DataType.FLOAT, 3, 5);
        p.getRow(0).assign(0);
        LossResult r = new ByolLoss().compute(p, LossTesting.randn(5, DataType.FLOAT, 3, 5));
        assertTrue(Double.isFinite(r.value()) && LossTesting.allFinite(r.gradient(0)));
    }

    @Test
    void compute_mismatchedShapes_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ByolLoss().compute(
                Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 2, 5)));
        assertTrue(e.getMessage().contains("ByolLoss.compute"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ByolLoss().compute(
                Nd4j.ones(DataType.FLOAT, 2, 4, 1), Nd4j.ones(DataType.FLOAT, 2, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new ByolLoss().compute(null, Nd4j.ones(DataType.FLOAT, 2, 4)));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"300, 33", "600, 130"})
    void compute_float32FusedPath_matchesFloat64WithZeroRowAndViews(int n, int d) {
        // 600 x 130 runs the fused kernel in parallel chunks; row 3 of p is zero (norm floor).
        INDArray p = LossTesting.randn(31, DataType.DOUBLE, n, d);
        INDArray z = LossTesting.randn(32, DataType.DOUBLE, n, d);
        p.getRow(3).assign(0.0);
        LossResult exact = new ByolLoss().compute(p, z);
        LossResult fast = new ByolLoss().compute(p.castTo(DataType.FLOAT), z.castTo(DataType.FLOAT));
        assertValueClose(exact.value(), fast.value(), 1e-6, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-5, "dp");
        assertClose(exact.gradient(1), fast.gradient(1), 1e-5, "dz");
        // A transposed (column-major) float view cannot take the fused path; it must agree too.
        INDArray pt = p.castTo(DataType.FLOAT).transpose().dup('c').transpose();
        assertEquals('f', pt.ordering());
        LossResult view = new ByolLoss().compute(pt, z.castTo(DataType.FLOAT));
        assertValueClose(exact.value(), view.value(), 1e-6, "value via views");
        assertClose(exact.gradient(0), view.gradient(0), 1e-5, "dp via views");
    }
}
