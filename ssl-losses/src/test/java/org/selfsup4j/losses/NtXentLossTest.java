package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;
import static org.selfsup4j.losses.NtXentLoss.DEFAULT_TEMPERATURE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NtXentLossTest {

    static List<LossTesting.FixtureCase> fixtures() {
        return LossTesting.load("ntxent.json");
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray z1 = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        INDArray z2 = Nd4j.createFromArray(new double[][] {{1, 1}, {1, -1}});
        double s = Math.sqrt(0.5);
        // Rows u0=(1,0), u1=(0,1), u2=(s,s), u3=(s,-s); each: -positive + log sum over the other three.
        double l0 = -s + Math.log(Math.exp(0) + Math.exp(s) + Math.exp(s));
        double l1 = s + Math.log(Math.exp(0) + Math.exp(s) + Math.exp(-s));
        double l2 = -s + Math.log(Math.exp(s) + Math.exp(s) + Math.exp(0));
        double l3 = s + Math.log(Math.exp(s) + Math.exp(-s) + Math.exp(0));
        double expected = (l0 + l1 + l2 + l3) / 4;
        assertEquals(expected, new NtXentLoss(1.0).compute(z1, z2).value(), 1e-14);
    }

    @Test
    void compute_orthonormalIdenticalViews_matchesClosedForm() {
        int n = 4;
        double t = 0.5;
        INDArray e = Nd4j.zeros(DataType.DOUBLE, n, 6);
        for (int i = 0; i < n; i++) {
            e.putScalar(i, i, 3.0); // unnormalized on purpose
        }
        // Positive similarity 1/t, all 2N-2 negatives 0.
        double expected = -1 / t + Math.log(Math.exp(1 / t) + 2 * n - 2);
        assertEquals(expected, new NtXentLoss(t).compute(e, e.dup()).value(), 1e-13);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float64_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        LossResult r = new NtXentLoss(c.param("temperature")).compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-10, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-10, "dz2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float32_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.FLOAT);
        LossResult r = new NtXentLoss(c.param("temperature")).compute(x[0], x[1]);
        assertEquals(DataType.FLOAT, r.gradient(0).dataType());
        assertValueClose(c.value(), r.value(), 1e-4, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-4, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-4, "dz2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_perRowShiftPath_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        NtXentLoss loss = new NtXentLoss(c.param("temperature"));
        loss.sharedShiftAllowed = false;
        LossResult r = loss.compute(x[0], x[1]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        assertClose(c.gradients().get(0), r.gradient(0), 1e-10, "dz1");
        assertClose(c.gradients().get(1), r.gradient(1), 1e-10, "dz2");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void gradients_matchFiniteDifferences(boolean sharedShift) {
        INDArray z1 = LossTesting.randn(1, DataType.DOUBLE, 5, 4);
        INDArray z2 = LossTesting.randn(2, DataType.DOUBLE, 5, 4);
        NtXentLoss loss = new NtXentLoss(0.2);
        loss.sharedShiftAllowed = sharedShift;
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1]), 1e-6, z1, z2);
    }

    @Test
    void compute_float32LargeBatchUnshiftedPath_matchesFloat64() {
        // 2N = 600 rows: the vectorized exp runs in parallel chunks; float32 must track float64.
        INDArray z1 = LossTesting.randn(21, DataType.DOUBLE, 300, 33);
        INDArray z2 = z1.add(LossTesting.randn(22, DataType.DOUBLE, 300, 33).muli(0.5));
        LossResult exact = new NtXentLoss(0.1).compute(z1, z2);
        LossResult fast = new NtXentLoss(0.1).compute(z1.castTo(DataType.FLOAT), z2.castTo(DataType.FLOAT));
        assertValueClose(exact.value(), fast.value(), 1e-5, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-4, "dz1");
        assertClose(exact.gradient(1), fast.gradient(1), 1e-4, "dz2");
    }

    @Test
    void compute_rowMaximaFarApartInFloat32_takesPerRowShiftAndStaysAccurate() {
        // Sample 0's views are opposite and orthogonal to the rest: its rows' maximum is 0 while the
        // other rows reach 1/tau = 100, beyond the shared-shift range for float32.
        INDArray z1 = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        INDArray z2 = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        z1.putScalar(0, 0, 1.0);
        z2.putScalar(0, 0, -1.0);
        z1.putScalar(1, 1, 1.0);
        z2.putScalar(1, 1, 1.0);
        z1.putScalar(2, 2, 1.0);
        z2.putScalar(2, 2, 1.0);
        double t = 0.01;
        // rows of sample 0: positive -100, negatives 0, 0, 0, 0 -> 100 + log(e^-100 + 4)
        // rows of samples 1, 2: positive 100, negatives 0 x3 and -> -100 + log(e^100 + 3 + ...)
        double s0 = 100 + Math.log(Math.exp(-100) + 4);
        double s1 = -100 + Math.log(Math.exp(100) + 4);
        double expected = (2 * s0 + 4 * s1) / 6;
        LossResult r = new NtXentLoss(t).compute(z1.castTo(DataType.FLOAT), z2.castTo(DataType.FLOAT));
        assertEquals(expected, r.value(), 1e-4);
        assertTrue(LossTesting.allFinite(r.gradient(0)) && LossTesting.allFinite(r.gradient(1)));
        assertEquals(expected, new NtXentLoss(t).compute(z1, z2).value(), 1e-12);
    }

    @Test
    void gradients_areOrthogonalToInputRows() {
        // The loss only sees directions, so each row's gradient is orthogonal to the row.
        INDArray z1 = LossTesting.randn(3, DataType.DOUBLE, 6, 5);
        INDArray z2 = LossTesting.randn(4, DataType.DOUBLE, 6, 5);
        LossResult r = new NtXentLoss(DEFAULT_TEMPERATURE).compute(z1, z2);
        INDArray dots = z1.mul(r.gradient(0)).sum(1);
        assertEquals(0.0, dots.amaxNumber().doubleValue(), 1e-12);
        assertTrue(r.gradient(0).amaxNumber().doubleValue() > 1e-3);
    }

    @Test
    void compute_tinyTemperatureIdenticalViews_isFinite() {
        INDArray z = LossTesting.randn(5, DataType.DOUBLE, 8, 4);
        LossResult r64 = new NtXentLoss(0.01).compute(z, z.dup());
        assertTrue(Double.isFinite(r64.value()) && r64.value() >= 0, "value " + r64.value());
        assertTrue(LossTesting.allFinite(r64.gradient(0)) && LossTesting.allFinite(r64.gradient(1)));
        LossResult r32 = new NtXentLoss(0.01).compute(z.castTo(DataType.FLOAT), z.castTo(DataType.FLOAT));
        assertTrue(LossTesting.allFinite(r32.gradient(0)) && LossTesting.allFinite(r32.gradient(1)));
        assertValueClose(r64.value(), r32.value(), 1e-3, "float32 vs float64 at tau=0.01");
    }

    @Test
    void compute_zeroRow_isFiniteAsFNormalize() {
        INDArray z1 = LossTesting.randn(6, DataType.DOUBLE, 3, 4);
        z1.getRow(1).assign(0);
        LossResult r = new NtXentLoss(DEFAULT_TEMPERATURE).compute(z1, LossTesting.randn(7, DataType.DOUBLE, 3, 4));
        assertTrue(Double.isFinite(r.value()));
        assertTrue(LossTesting.allFinite(r.gradient(0)));
    }

    @Test
    void compute_reusedAcrossShapesAndTypes_givesFreshResults() {
        NtXentLoss loss = new NtXentLoss(0.3);
        INDArray a = LossTesting.randn(8, DataType.DOUBLE, 4, 3);
        INDArray b = LossTesting.randn(9, DataType.DOUBLE, 4, 3);
        double first = loss.compute(a, b).value();
        loss.compute(LossTesting.randn(10, DataType.FLOAT, 7, 5), LossTesting.randn(11, DataType.FLOAT, 7, 5));
        assertEquals(first, loss.compute(a, b).value(), 1e-14);
        assertEquals(first, new NtXentLoss(0.3).compute(b, a).value(), 1e-12, "symmetric in the views");
    }

    @Test
    void compute_mismatchedShapes_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.zeros(DataType.FLOAT, 4, 8), Nd4j.zeros(DataType.FLOAT, 4, 6)));
        assertTrue(e.getMessage().contains("NtXentLoss.compute") && e.getMessage().contains("[4, 8]"), e.getMessage());
    }

    @Test
    void compute_rankThree_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.zeros(DataType.FLOAT, 4, 8, 1), Nd4j.zeros(DataType.FLOAT, 4, 8, 1)));
        assertTrue(e.getMessage().contains("rank 2"), e.getMessage());
    }

    @Test
    void compute_singleRow_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 1, 8), Nd4j.ones(DataType.FLOAT, 1, 8)));
        assertTrue(e.getMessage().contains("at least 2 rows"), e.getMessage());
    }

    @Test
    void compute_mixedDataTypes_throws() {
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 2, 8), Nd4j.ones(DataType.DOUBLE, 2, 8)));
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.INT, 2, 8), Nd4j.ones(DataType.INT, 2, 8)));
    }

    @Test
    void constructor_nonPositiveTemperature_throws() {
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0));
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(Double.NaN));
        assertEquals(0.1, new NtXentLoss(DEFAULT_TEMPERATURE).temperature());
    }
}
