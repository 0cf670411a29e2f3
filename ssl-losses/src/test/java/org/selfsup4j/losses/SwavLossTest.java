package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SwavLossTest {

    static Stream<Arguments> fixtures() {
        return FixtureRuns.inBothTypes("swav.json");
    }

    private static SwavLoss fromFixture(LossTesting.FixtureCase c) {
        return new SwavLoss((int) c.param("crops"), c.param("temperature"), c.param("epsilon"),
                (int) c.param("iterations"));
    }

    /** Unit-row scores z C^T, as SwAV's head produces them: [rows, K] from D-dimensional features. */
    private static INDArray unitScores(long seed, int rows, int k, int d) {
        INDArray z = LossTesting.randn(seed, DataType.DOUBLE, rows, d);
        INDArray c = LossTesting.randn(seed + 1, DataType.DOUBLE, k, d);
        z.diviColumnVector(z.norm2(true, 1));
        c.diviColumnVector(c.norm2(true, 1));
        return z.mmul(c.transpose());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void compute_matchesPyTorchValueGradientAndCodes(LossTesting.FixtureCase c, DataType type) {
        double tol = FixtureRuns.tolerance(type, 1e-10, 1e-4);
        INDArray[] x = c.inputs(type);
        SwavLoss loss = fromFixture(c);
        LossResult r = loss.compute(x[0], x.length > 1 ? x[1] : null);
        assertValueClose(c.value(), r.value(), tol, "value");
        assertEquals(1, r.arity(), "the codes are under stop-gradient");
        assertClose(c.gradients().get(0), r.gradient(0), tol, "dscores");
        assertClose(c.gradients().get(1), loss.codes(), tol, "codes");
    }

    @Test
    void gradient_ofThePredictingCrops_matchesFiniteDifferences() {
        // The codes depend on crops 0 and 1 under stop-gradient, so finite differences see the analytic
        // gradient only where the scores do not feed Sinkhorn: the local crops' rows (2 B onwards).
        int b = 3;
        int k = 5;
        int v = 4;
        SwavLoss loss = new SwavLoss(v, 0.1, 0.05, 3);
        INDArray scores = unitScores(70, v * b, k, 6);
        INDArray global = scores.get(NDArrayIndex.interval(0, 2 * b), NDArrayIndex.all()).dup();
        INDArray local = scores.get(NDArrayIndex.interval(2 * b, v * b), NDArrayIndex.all()).dup();
        LossTesting.assertGradientsMatchFiniteDifferences(a -> {
            LossResult r = loss.compute(Nd4j.concat(0, global, a[0]));
            INDArray g = r.gradient(0).get(NDArrayIndex.interval(2 * b, v * b), NDArrayIndex.all()).dup();
            return new LossResult(r.value(), Map.of(), g);
        }, 1e-5, local);
    }

    @Test
    void gradient_ofTheAssignmentCrops_isTheirPredictionTermsWithTheCodesHeldFixed() {
        // Crops 0 and 1 also predict each other: check those rows against the multi-crop cross-entropy
        // with the codes as constants (targets), which finite differences on its predictions can see.
        int b = 2;
        int k = 4;
        int v = 3;
        SwavLoss loss = new SwavLoss(v, 0.1, 0.05, 3);
        INDArray scores = unitScores(80, v * b, k, 5);
        LossResult r = loss.compute(scores);
        INDArray codes = loss.codes().dup();
        INDArray analytic = r.gradient(0).dup();
        MultiCropCrossEntropy ce = new MultiCropCrossEntropy();
        LossTesting.assertGradientsMatchFiniteDifferences(
                a -> new LossResult(ce.compute(a[0], codes, v, 0.1), Map.of(), ce.gradient()), 1e-6, scores);
        ce.compute(scores, codes, v, 0.1);
        assertClose(ce.gradient(), analytic, 1e-15, "the loss's gradient is the cross-entropy's");
    }

    @Test
    void sinkhorn_codesAreAssignments_andPrototypeMarginalsApproachUniformWithMoreIterations() {
        int b = 16;
        int k = 6;
        INDArray scores = unitScores(90, 2 * b, k, 8).muli(0.5);
        double[] marginalError = new double[3];
        int[] iterations = {1, 3, 300};
        for (int i = 0; i < 3; i++) {
            SwavLoss loss = new SwavLoss(2, 0.1, 0.05, iterations[i]);
            loss.compute(scores);
            INDArray codes = loss.codes();
            // each sample's code sums to 1 (the last step normalizes samples) ...
            assertClose(Nd4j.ones(DataType.DOUBLE, 2 * b, 1), codes.sum(true, 1), 1e-13, "rows sum to 1");
            // ... and each prototype gets B / K of the batch's mass (equipartition), up to convergence
            INDArray perPrototype = codes.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).sum(0);
            marginalError[i] = perPrototype.sub((double) b / k).amaxNumber().doubleValue();
        }
        assertTrue(marginalError[0] > marginalError[1] && marginalError[1] > marginalError[2],
                java.util.Arrays.toString(marginalError));
        assertTrue(marginalError[2] < 1e-3 * marginalError[1], "300 iterations converge: " + marginalError[2]);
        assertTrue(marginalError[1] > 1e-6, "3 iterations are a fixed count, not run to convergence: "
                + marginalError[1]);
        assertEquals(3, new SwavLoss().iterations());
    }

    @Test
    void queue_widensSinkhornOnly_codesStillAssignments() {
        int b = 4;
        int k = 5;
        INDArray scores = unitScores(100, 3 * b, k, 6);
        INDArray queue = unitScores(102, 2 * 10, k, 6);
        SwavLoss loss = new SwavLoss(3, 0.1, 0.05, 3);
        double without = loss.compute(scores).value();
        INDArray codesWithout = loss.codes().dup();
        LossResult with = loss.compute(scores, queue);
        assertEquals(1, with.arity(), "the queue gets no gradient");
        assertClose(Nd4j.ones(DataType.DOUBLE, 2 * b, 1), loss.codes().sum(true, 1), 1e-13, "rows sum to 1");
        assertTrue(loss.codes().sub(codesWithout).amaxNumber().doubleValue() > 1e-3, "the queue changes the codes");
        assertTrue(Math.abs(with.value() - without) > 1e-6);
    }

    @Test
    void compute_float32AtBenchmarkLikeShape_matchesFloat64() {
        int b = 32;
        int k = 300;
        int v = 4;
        INDArray scores = unitScores(110, v * b, k, 16);
        SwavLoss exact = new SwavLoss(v, 0.1, 0.05, 3);
        SwavLoss fast = new SwavLoss(v, 0.1, 0.05, 3);
        LossResult e = exact.compute(scores);
        LossResult f = fast.compute(scores.castTo(DataType.FLOAT));
        assertValueClose(e.value(), f.value(), 1e-5, "value");
        assertClose(e.gradient(0), f.gradient(0), 1e-5, "dscores");
        assertClose(exact.codes(), fast.codes(), 1e-5, "codes");
    }

    @Test
    void badInputs_throwSayingWhatWasExpected() {
        SwavLoss loss = new SwavLoss(3, 0.1, 0.05, 3);
        var rows = assertThrows(IllegalArgumentException.class, () -> loss.compute(Nd4j.ones(DataType.FLOAT, 7, 4)));
        assertEquals("SwavLoss.compute: scores must be [V B, K] with V = 3 crops, got [7, 4] (rows not divisible by 3)",
                rows.getMessage());
        INDArray s = Nd4j.ones(DataType.FLOAT, 6, 4);
        var width = assertThrows(IllegalArgumentException.class, () -> loss.compute(s, Nd4j.ones(DataType.FLOAT, 4, 5)));
        assertTrue(width.getMessage().contains("queueScores must be [2 L, 4]"), width.getMessage());
        var odd = assertThrows(IllegalArgumentException.class, () -> loss.compute(s, Nd4j.ones(DataType.FLOAT, 3, 4)));
        assertTrue(odd.getMessage().contains("got [3, 4]"), odd.getMessage());
        var type = assertThrows(IllegalArgumentException.class, () -> loss.compute(s, Nd4j.ones(DataType.DOUBLE, 4, 4)));
        assertTrue(type.getMessage().contains("same data type"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.compute(Nd4j.ones(DataType.FLOAT, 6, 4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new SwavLoss(1, 0.1, 0.05, 3));
        assertThrows(IllegalArgumentException.class, () -> new SwavLoss(3, 0.1, 0.05, 0));
        var eps = assertThrows(IllegalArgumentException.class, () -> new SwavLoss(3, 0.1, -0.05, 3));
        assertEquals("SwavLoss: epsilon must be finite and > 0, got -0.05", eps.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SwavLoss(3, Double.POSITIVE_INFINITY, 0.05, 3));
    }
}
