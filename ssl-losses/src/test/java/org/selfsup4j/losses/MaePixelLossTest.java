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
import org.nd4j.linalg.indexing.NDArrayIndex;

class MaePixelLossTest {

    static Stream<Arguments> fixtures() {
        return FixtureRuns.inBothTypes("mae.json");
    }

    private static INDArray mask(long seed, int n, int l, DataType type) {
        java.util.Random r = new java.util.Random(seed);
        INDArray m = Nd4j.zeros(type, n, l);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < l; j++) {
                m.putScalar(i, j, r.nextDouble() < 0.75 ? 1 : 0);
            }
        }
        m.putScalar(0, 0, 1);
        m.putScalar(0, 1, 0);
        return m;
    }

    @Test
    void compute_onePatchWorkedByHand_matchesFormula() {
        // target [1, 2, 3]: mean 2, unbiased var 1, normalized [-1, 0, 1]/sqrt(1 + 1e-6)
        INDArray target = Nd4j.createFromArray(new double[] {1, 2, 3, 9, 9, 9}).reshape(1, 2, 3);
        INDArray pred = Nd4j.createFromArray(new double[] {0, 0, 0, 5, 5, 5}).reshape(1, 2, 3);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1, 0}});
        double expected = 2.0 / (1 + 1e-6) / 3;
        LossResult r = new MaePixelLoss().compute(pred, target, mask);
        assertEquals(expected, r.value(), 1e-15);
        assertEquals(0.0, r.gradient(0).get(NDArrayIndex.point(0), NDArrayIndex.point(1)).amaxNumber().doubleValue(),
                "the visible patch gets no gradient");
        // without normalization: ((0-1)^2 + (0-2)^2 + (0-3)^2) / 3
        assertEquals(14.0 / 3, new MaePixelLoss(false).compute(pred, target, mask).value(), 1e-14);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void compute_matchesPyTorch(LossTesting.FixtureCase c, DataType type) {
        double tol = FixtureRuns.tolerance(type, 1e-12, 1e-5);
        INDArray[] x = c.inputs(type);
        LossResult r = new MaePixelLoss(c.param("norm_pix_loss") != 0).compute(x[0], x[1], x[2]);
        assertValueClose(c.value(), r.value(), tol, "value");
        assertEquals(1, r.arity(), "the target and the mask are data");
        assertClose(c.gradients().get(0), r.gradient(0), tol, "dpred");
    }

    @Test
    void gradient_matchesFiniteDifferences() {
        INDArray target = LossTesting.randn(1, DataType.DOUBLE, 2, 5, 4);
        INDArray mask = mask(2, 2, 5, DataType.DOUBLE);
        for (boolean norm : new boolean[] {true, false}) {
            MaePixelLoss loss = new MaePixelLoss(norm);
            LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], target, mask), 1e-6,
                    LossTesting.randn(3, DataType.DOUBLE, 2, 5, 4));
        }
    }

    @Test
    void visiblePatches_neitherCountNorGetGradient() {
        INDArray pred = LossTesting.randn(4, DataType.DOUBLE, 2, 6, 5);
        INDArray target = LossTesting.randn(5, DataType.DOUBLE, 2, 6, 5);
        INDArray mask = mask(6, 2, 6, DataType.DOUBLE);
        MaePixelLoss loss = new MaePixelLoss();
        double before = loss.compute(pred, target, mask).value();
        INDArray changed = pred.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all()).assign(100.0);
        LossResult after = loss.compute(changed, target, mask);
        assertEquals(before, after.value(), 1e-15, "patch (0, 1) is visible");
        assertEquals(0.0, after.gradient(0).get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.all())
                .amaxNumber().doubleValue());
    }

    @Test
    void normalizedPixels_ignoreEachPatchsBrightnessAndContrast() {
        INDArray pred = LossTesting.randn(7, DataType.DOUBLE, 2, 4, 12);
        INDArray target = LossTesting.randn(8, DataType.DOUBLE, 2, 4, 12);
        INDArray mask = mask(9, 2, 4, DataType.DOUBLE);
        INDArray affine = target.mul(3.0).addi(0.7);
        assertEquals(new MaePixelLoss().compute(pred, target, mask).value(),
                new MaePixelLoss().compute(pred, affine, mask).value(), 1e-5);
        assertTrue(Math.abs(new MaePixelLoss(false).compute(pred, target, mask).value()
                - new MaePixelLoss(false).compute(pred, affine, mask).value()) > 1);
    }

    @Test
    void compute_float32AtBenchmarkLikeShapeAndViewInputs_matchesFloat64() {
        INDArray pred = LossTesting.randn(10, DataType.DOUBLE, 8, 49, 48);
        INDArray target = LossTesting.randn(11, DataType.DOUBLE, 8, 49, 48);
        INDArray mask = mask(12, 8, 49, DataType.DOUBLE);
        LossResult exact = new MaePixelLoss().compute(pred, target, mask);
        // a permuted (non-dense) float view goes through the copy buffers
        INDArray view = pred.castTo(DataType.FLOAT).permute(2, 1, 0).dup('c').permute(2, 1, 0);
        LossResult fast = new MaePixelLoss().compute(view, target.castTo(DataType.FLOAT), mask.castTo(DataType.FLOAT));
        assertValueClose(exact.value(), fast.value(), 1e-6, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-6, "dpred");
    }

    @Test
    void badInputs_throwSayingWhatWasExpected() {
        MaePixelLoss loss = new MaePixelLoss();
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 3, 4);
        INDArray m = Nd4j.ones(DataType.FLOAT, 2, 3);
        var half = m.dup();
        half.putScalar(1, 2, 0.5);
        var e = assertThrows(IllegalArgumentException.class, () -> loss.compute(x, x, half));
        assertEquals("MaePixelLoss.compute: mask must hold only 0 (visible) and 1 (removed), got 0.5 for patch 2 of"
                + " image 1", e.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> loss.compute(x, x, m.mul(0)));
        assertTrue(none.getMessage().contains("must remove at least one patch"), none.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(x, x, Nd4j.ones(DataType.FLOAT, 3, 2)));
        assertEquals("MaePixelLoss.compute: mask must have shape [2, 3], got [3, 2]", shape.getMessage());
        var rank = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 6, 4), x, m));
        assertTrue(rank.getMessage().contains("pred must have rank 3 [N, L, P]"), rank.getMessage());
        var type = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(x, Nd4j.ones(DataType.DOUBLE, 2, 3, 4), m));
        assertTrue(type.getMessage().contains("same data type"), type.getMessage());
        var p1 = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 2, 3, 1), Nd4j.ones(DataType.FLOAT, 2, 3, 1), m));
        assertTrue(p1.getMessage().contains("P >= 2"), p1.getMessage());
    }
}
