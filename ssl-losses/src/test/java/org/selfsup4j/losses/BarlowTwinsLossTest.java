package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.BarlowTwinsLoss.DEFAULT_LAMBDA;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BarlowTwinsLossTest {

    static List<LossTesting.FixtureCase> fixtures() {
        return LossTesting.load("barlowtwins.json");
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray z1 = Nd4j.createFromArray(new double[][] {{1, 0}, {3, 2}});
        INDArray z2 = Nd4j.createFromArray(new double[][] {{2, 1}, {0, 5}});
        double lambda = 0.5;
        // Centred columns: z1 [-1,1], [-1,1] (biased var 1); z2 [1,-1] (var 1), [-2,2] (var 4).
        double a = 1 / Math.sqrt(1 + 1e-5);
        double b = 2 / Math.sqrt(4 + 1e-5);
        // c = A^T B / 2 = [[-a^2, ab], [-a^2, ab]]
        double expected = Math.pow(1 + a * a, 2) + Math.pow(1 - a * b, 2) + lambda * (a * a * a * a + a * a * b * b);
        assertEquals(expected, new BarlowTwinsLoss(lambda).compute(z1, z2).value(), 1e-13);
        assertClose(Nd4j.createFromArray(new double[][] {{-a * a, a * b}, {-a * a, a * b}}),
                BarlowTwinsLoss.crossCorrelation(z1, z2), 1e-14, "c");
    }

    @Test
    void compute_identicalStandardizedDecorrelatedViews_isZeroUpToBatchNormEps() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}});
        // c = I / (1 + eps): only the eps of the standardization keeps the value from exactly 0.
        double cii = 1 / (1 + 1e-5);
        double expected = 2 * (1 - cii) * (1 - cii);
        LossResult r = new BarlowTwinsLoss(DEFAULT_LAMBDA).compute(z, z.dup());
        assertEquals(expected, r.value(), 1e-15);
        assertTrue(r.value() < 1e-9);
    }

    @Test
    void compute_affineRescaledView_changesOnlyThroughBatchNormEps() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}});
        // Column variances 9 and 1: c_ii = 3 / sqrt((9 + eps)(1 + eps)), off-diagonal 0.
        double cii = 3 / Math.sqrt((9 + 1e-5) * (1 + 1e-5));
        double expected = 2 * (1 - cii) * (1 - cii);
        assertEquals(expected, new BarlowTwinsLoss(DEFAULT_LAMBDA).compute(z.mul(3).addi(7), z).value(), 1e-15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float64_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        LossResult r = new BarlowTwinsLoss(c.param("lambda")).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-10, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-10, "dz2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float32_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.FLOAT);
        LossResult r = new BarlowTwinsLoss(c.param("lambda")).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-4, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-4, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-4, "dz2");
    }

    @Test
    void gradients_matchFiniteDifferences() {
        BarlowTwinsLoss loss = new BarlowTwinsLoss(0.3);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6,
                LossTesting.randn(1, DataType.DOUBLE, 5, 3), LossTesting.randn(2, DataType.DOUBLE, 5, 3));
    }

    @Test
    void gradients_fewerRowsThanColumns_matchFiniteDifferences() {
        // N < D takes the Gram-matrix path.
        BarlowTwinsLoss loss = new BarlowTwinsLoss(0.3);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6,
                LossTesting.randn(5, DataType.DOUBLE, 3, 7), LossTesting.randn(6, DataType.DOUBLE, 3, 7));
    }

    @Test
    void compute_gramPath_matchesCrossCorrelationFormula() {
        INDArray z1 = LossTesting.randn(7, DataType.DOUBLE, 4, 9);
        INDArray z2 = LossTesting.randn(8, DataType.DOUBLE, 4, 9);
        INDArray c = BarlowTwinsLoss.crossCorrelation(z1, z2);
        double expected = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double v = c.getDouble(i, j);
                expected += i == j ? (1 - v) * (1 - v) : 0.2 * v * v;
            }
        }
        assertEquals(expected, new BarlowTwinsLoss(0.2).compute(z1, z2).value(), 1e-12);
    }

    @Test
    void compute_constantColumn_isFinite() {
        INDArray z1 = LossTesting.randn(3, DataType.FLOAT, 4, 3);
        z1.getColumn(1).assign(2.0);
        LossResult r = new BarlowTwinsLoss(DEFAULT_LAMBDA).compute(z1, LossTesting.randn(4, DataType.FLOAT, 4, 3));
        assertTrue(Double.isFinite(r.value()) && LossTesting.allFinite(r.gradient(0)));
    }

    @Test
    void compute_singleRow_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BarlowTwinsLoss(DEFAULT_LAMBDA).compute(
                Nd4j.ones(DataType.FLOAT, 1, 4), Nd4j.ones(DataType.FLOAT, 1, 4)));
        assertTrue(e.getMessage().contains("BarlowTwinsLoss.compute"), e.getMessage());
    }

    @Test
    void compute_mismatchedShapes_throws() {
        assertThrows(IllegalArgumentException.class, () -> new BarlowTwinsLoss(DEFAULT_LAMBDA).compute(
                Nd4j.ones(DataType.FLOAT, 3, 4), Nd4j.ones(DataType.FLOAT, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> new BarlowTwinsLoss(-0.1));
    }
}
