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

class VicRegLossTest {

    static List<LossTesting.FixtureCase> fixtures() {
        return LossTesting.load("vicreg.json");
    }

    private static VicRegLoss fromParams(LossTesting.FixtureCase c) {
        return new VicRegLoss(c.param("lambda"), c.param("mu"), c.param("nu"), c.param("eps"));
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray z1 = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 0}});
        INDArray z2 = Nd4j.createFromArray(new double[][] {{0, 2}, {3, 1}});
        double eps = 1e-4;
        double inv = 2.0 / 4; // squared differences 1, 0, 0, 1 over 4 entries
        // z1: centred columns [-1, 1], [1, -1]: variances 2, 2 (std > 1, no hinge); C off-diagonal -2.
        // z2: centred [-1.5, 1.5], [0.5, -0.5]: variances 4.5, 0.5; C off-diagonal -1.5.
        double var = (0 + (1 - Math.sqrt(0.5 + eps)) / 2) / 2;
        double cov = 2 * 4.0 / 2 + 2 * 2.25 / 2;
        LossResult r = new VicRegLoss(1, 1, 1, eps).compute(z1, z2);
        assertEquals(inv + var + cov, r.value(), 1e-14);
        assertEquals(inv, r.terms().get("invariance"), 1e-15);
        assertEquals(var, r.terms().get("variance"), 1e-15);
        assertEquals(cov, r.terms().get("covariance"), 1e-14);
        assertEquals(25 * inv + 25 * var + cov, new VicRegLoss().compute(z1, z2).value(), 1e-12);
    }

    @Test
    void compute_identicalDecorrelatedWideViews_isZero() {
        INDArray z = Nd4j.createFromArray(new double[][] {{2, 2}, {2, -2}, {-2, 2}, {-2, -2}});
        LossResult r = new VicRegLoss().compute(z, z.dup());
        assertEquals(0.0, r.value(), 1e-15);
        assertEquals(0.0, r.gradient(0).amaxNumber().doubleValue(), 1e-15);
    }

    @Test
    void compute_constantColumns_isFiniteWithKnownHinge() {
        INDArray z = Nd4j.valueArrayOf(new long[] {5, 3}, 0.7, DataType.DOUBLE);
        double eps = 1e-4;
        LossResult r = new VicRegLoss(25, 25, 1, eps).compute(z, z.dup());
        // Every std is sqrt(eps): hinge 1 - sqrt(eps) in each column of both branches; nothing else.
        assertEquals(25 * (1 - Math.sqrt(eps)), r.value(), 1e-12);
        assertTrue(LossTesting.allFinite(r.gradient(0)) && LossTesting.allFinite(r.gradient(1)));
        LossResult r32 = new VicRegLoss().compute(z.castTo(DataType.FLOAT), z.castTo(DataType.FLOAT));
        assertTrue(Double.isFinite(r32.value()) && LossTesting.allFinite(r32.gradient(0)));
    }

    @Test
    void gradients_withZeroVarianceColumn_matchFiniteDifferences() {
        INDArray z1 = LossTesting.randn(1, DataType.DOUBLE, 6, 4).muli(0.5);
        z1.getColumn(2).assign(1.5);
        INDArray z2 = LossTesting.randn(2, DataType.DOUBLE, 6, 4).muli(1.5);
        VicRegLoss loss = new VicRegLoss(2, 3, 5, 1e-3);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6, z1, z2);
    }

    @Test
    void gradients_defaultWeights_matchFiniteDifferences() {
        INDArray z1 = LossTesting.randn(3, DataType.DOUBLE, 5, 6).muli(0.8);
        INDArray z2 = z1.add(LossTesting.randn(4, DataType.DOUBLE, 5, 6).muli(0.3));
        VicRegLoss loss = new VicRegLoss();
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6, z1, z2);
    }

    @Test
    void gradients_fewerRowsThanColumns_matchFiniteDifferences() {
        // N < D takes the Gram-matrix path.
        INDArray z1 = LossTesting.randn(7, DataType.DOUBLE, 4, 7).muli(0.7);
        z1.getColumn(5).assign(-2.0);
        INDArray z2 = LossTesting.randn(8, DataType.DOUBLE, 4, 7).muli(1.3);
        VicRegLoss loss = new VicRegLoss(2, 3, 5, 1e-3);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6, z1, z2);
    }

    @Test
    void compute_gramAndCovariancePaths_agree() {
        INDArray z1 = LossTesting.randn(9, DataType.DOUBLE, 5, 12);
        INDArray z2 = LossTesting.randn(10, DataType.DOUBLE, 5, 12).muli(0.4);
        VicRegLoss loss = new VicRegLoss(2, 3, 5, 1e-4);
        double cov = loss.covariance(z1) + loss.covariance(z2);
        assertEquals(cov, loss.compute(z1, z2).terms().get("covariance"), 1e-12 * cov);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float64_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        LossResult r = fromParams(c).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        for (String term : List.of("invariance", "variance", "covariance")) {
            assertValueClose(c.terms().get(term), r.terms().get(term), 1e-10, term);
        }
        assertClose(c.gradients().get(0), r.gradient(0), 1e-10, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-10, "dz2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float32_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.FLOAT);
        LossResult r = fromParams(c).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-4, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-4, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-4, "dz2");
    }

    @Test
    void subTerms_publicMethods_assembleComputeValue() {
        INDArray z1 = LossTesting.randn(5, DataType.DOUBLE, 7, 3).muli(0.6);
        INDArray z2 = LossTesting.randn(6, DataType.DOUBLE, 7, 3).muli(1.7);
        VicRegLoss loss = new VicRegLoss(2, 3, 5, 1e-4);
        double inv = loss.invariance(z1, z2);
        double var = (loss.variance(z1) + loss.variance(z2)) / 2;
        double cov = loss.covariance(z1) + loss.covariance(z2);
        assertTrue(var > 0, "some columns below unit std");
        LossResult r = loss.compute(z1, z2);
        assertEquals(2 * inv + 3 * var + 5 * cov, r.value(), 1e-12);
        assertEquals(var, r.terms().get("variance"), 1e-14);
    }

    @Test
    void compute_singleRow_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new VicRegLoss().compute(
                Nd4j.ones(DataType.FLOAT, 1, 4), Nd4j.ones(DataType.FLOAT, 1, 4)));
        assertTrue(e.getMessage().contains("VicRegLoss.compute") && e.getMessage().contains("N >= 2"), e.getMessage());
    }

    @Test
    void compute_mismatchedShapesOrRank_throws() {
        assertThrows(IllegalArgumentException.class, () -> new VicRegLoss().compute(
                Nd4j.ones(DataType.FLOAT, 3, 4), Nd4j.ones(DataType.FLOAT, 3, 5)));
        assertThrows(IllegalArgumentException.class, () -> new VicRegLoss().compute(
                Nd4j.ones(DataType.FLOAT, 3), Nd4j.ones(DataType.FLOAT, 3)));
    }

    @Test
    void constructor_badWeights_throw() {
        assertThrows(IllegalArgumentException.class, () -> new VicRegLoss(-1, 25, 1, 1e-4));
        assertThrows(IllegalArgumentException.class, () -> new VicRegLoss(25, 25, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new VicRegLoss(25, Double.NaN, 1, 1e-4));
    }
}
