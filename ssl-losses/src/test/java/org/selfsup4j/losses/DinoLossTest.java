package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

class DinoLossTest {

    static Stream<Arguments> fixtures() {
        return FixtureRuns.inBothTypes("dino.json");
    }

    private static DinoLoss fromFixture(LossTesting.FixtureCase c, DataType type, INDArray center) {
        DinoLoss loss = new DinoLoss((int) center.size(1), (int) c.param("crops"), c.param("student_temp"),
                c.param("center_momentum"), type);
        loss.center().assign(center);
        return loss;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void compute_matchesPyTorchIncludingTheCenterUpdate(LossTesting.FixtureCase c, DataType type) {
        double tol = FixtureRuns.tolerance(type, 1e-10, 1e-5);
        INDArray[] x = c.inputs(type);
        DinoLoss loss = fromFixture(c, type, x[2]);
        LossResult r = loss.compute(x[0], x[1], c.param("teacher_temp"));
        assertValueClose(c.value(), r.value(), tol, "value");
        assertEquals(1, r.arity(), "the teacher gets no gradient");
        assertClose(c.gradients().get(0), r.gradient(0), tol, "dstudent");
        assertClose(c.gradients().get(1), loss.center(), tol, "center after the update");
    }

    @Test
    void gradient_matchesFiniteDifferences() {
        int b = 3;
        int k = 6;
        int v = 4;
        DinoLoss loss = new DinoLoss(k, v, 0.1, 0.9, DataType.DOUBLE);
        INDArray teacher = LossTesting.randn(11, DataType.DOUBLE, 2 * b, k).muli(2);
        INDArray center = LossTesting.randn(12, DataType.DOUBLE, 1, k);
        // every evaluation starts from the same center: compute updates it
        LossTesting.assertGradientsMatchFiniteDifferences(a -> {
            loss.center().assign(center);
            return loss.compute(a[0], teacher, 0.05);
        }, 1e-6, LossTesting.randn(13, DataType.DOUBLE, v * b, k).muli(0.1));
    }

    @Test
    void center_isAnExponentialMovingAverageOfTeacherBatchMeans_usedFromTheNextCall() {
        int k = 5;
        DinoLoss loss = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        assertEquals(0.0, loss.center().amaxNumber().doubleValue(), "the center starts at zero");
        INDArray t1 = LossTesting.randn(21, DataType.DOUBLE, 4, k);
        INDArray t2 = LossTesting.randn(22, DataType.DOUBLE, 4, k);
        INDArray s = LossTesting.randn(23, DataType.DOUBLE, 6, k);
        loss.compute(s, t1, 0.04);
        INDArray c1 = t1.mean(true, 0).muli(0.1);
        assertClose(c1, loss.center(), 1e-15, "c after one step = 0.1 mean(t1)");
        // the second call centers with c1: the same as a fresh loss whose center was set to c1
        DinoLoss fresh = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        fresh.center().assign(c1);
        double expected = fresh.compute(s, t2, 0.04).value();
        assertEquals(expected, loss.compute(s, t2, 0.04).value(), 1e-15);
        assertClose(c1.mul(0.9).addi(t2.mean(true, 0).muli(0.1)), loss.center(), 1e-15, "c after two steps");
        assertEquals(loss.center(), loss.state().get("center"));
    }

    @Test
    void centering_removesAShiftSharedByTeacherAndCenter() {
        int k = 7;
        INDArray s = LossTesting.randn(31, DataType.DOUBLE, 6, k);
        INDArray t = LossTesting.randn(32, DataType.DOUBLE, 4, k);
        INDArray shift = LossTesting.randn(33, DataType.DOUBLE, 1, k).muli(5);
        DinoLoss plain = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        DinoLoss shifted = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        shifted.center().assign(shift);
        double a = plain.compute(s, t, 0.04).value();
        double b = shifted.compute(s, t.addRowVector(shift), 0.04).value();
        assertEquals(a, b, 1e-12);
        DinoLoss unshifted = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        assertNotEquals(a, unshifted.compute(s, t.addRowVector(shift), 0.04).value(), 1e-3,
                "without the center the shift changes the targets");
    }

    @Test
    void lowerTeacherTemperature_sharpensTheTargets() {
        int k = 9;
        INDArray s = LossTesting.randn(41, DataType.DOUBLE, 6, k);
        INDArray t = LossTesting.randn(42, DataType.DOUBLE, 4, k);
        DinoLoss loss = new DinoLoss(k, 3, 0.1, 0.9, DataType.DOUBLE);
        double[] peak = new double[2];
        double[] temps = {0.07, 0.04};
        for (int i = 0; i < 2; i++) {
            loss.center().assign(0);
            loss.compute(s, t, temps[i]);
            INDArray p = loss.teacherProbabilities();
            assertClose(Nd4j.ones(DataType.DOUBLE, 4, 1), p.sum(true, 1), 1e-14, "rows are distributions");
            peak[i] = p.max(1).meanNumber().doubleValue();
        }
        assertTrue(peak[1] > peak[0], "peak " + peak[1] + " at 0.04 vs " + peak[0] + " at 0.07");
    }

    @Test
    void compute_float32AtBenchmarkLikeShape_matchesFloat64() {
        // K = 512, B = 16, 2 + 4 crops: the vectorized exp and the flat BLAS passes on crop views
        int b = 16;
        int k = 512;
        int v = 6;
        INDArray s = LossTesting.randn(51, DataType.DOUBLE, v * b, k).muli(3);
        INDArray t = LossTesting.randn(52, DataType.DOUBLE, 2 * b, k).muli(3);
        LossResult exact = new DinoLoss(k, v, 0.1, 0.9, DataType.DOUBLE).compute(s, t, 0.04);
        DinoLoss f = new DinoLoss(k, v, 0.1, 0.9, DataType.FLOAT);
        LossResult fast = f.compute(s.castTo(DataType.FLOAT), t.castTo(DataType.FLOAT), 0.04);
        assertValueClose(exact.value(), fast.value(), 1e-5, "value");
        assertClose(exact.gradient(0), fast.gradient(0), 1e-5, "dstudent");
    }

    @Test
    void compute_leavesItsInputsUntouched() {
        INDArray s = LossTesting.randn(61, DataType.FLOAT, 6, 5);
        INDArray t = LossTesting.randn(62, DataType.FLOAT, 4, 5);
        INDArray s0 = s.dup();
        INDArray t0 = t.dup();
        new DinoLoss(5, 3, 0.1, 0.9, DataType.FLOAT).compute(s, t, 0.04);
        assertEquals(s0, s);
        assertEquals(t0, t);
    }

    @Test
    void teacherTemperature_warmsUpLinearlyThenStays() {
        DinoTeacherTemperature tt = DinoTeacherTemperature.dino();
        assertEquals(0.04, tt.at(0));
        assertEquals(0.04 + 0.03 * 10 / 29.0, tt.at(10), 1e-15);
        assertEquals(0.07, tt.at(29), 1e-15);
        assertEquals(0.07, tt.at(30));
        assertEquals(0.07, tt.at(300));
        assertEquals(0.04, new DinoTeacherTemperature(0.04, 0.07, 1).at(0), "linspace with one point is the start");
        assertEquals(0.07, new DinoTeacherTemperature(0.04, 0.07, 0).at(0), "no warm-up");
        var e = assertThrows(IllegalArgumentException.class, () -> tt.at(-1));
        assertEquals("DinoTeacherTemperature.at: epoch must be >= 0, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DinoTeacherTemperature(0, 0.07, 30));
        assertThrows(IllegalArgumentException.class, () -> new DinoTeacherTemperature(0.04, Double.NaN, 30));
    }

    @Test
    void badInputs_throwSayingWhatWasExpected() {
        DinoLoss loss = new DinoLoss(5, 3, 0.1, 0.9, DataType.FLOAT);
        INDArray t = Nd4j.ones(DataType.FLOAT, 4, 5);
        var crops = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 8, 5), t, 0.04));
        assertEquals("DinoLoss.compute: student must be [3 B, 5] = [6, 5] (V = 3 crops of the teacher's B = 2),"
                + " got [8, 5]", crops.getMessage());
        var width = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 6, 5), Nd4j.ones(DataType.FLOAT, 4, 6), 0.04));
        assertTrue(width.getMessage().contains("teacher must be [2 B, 5]"), width.getMessage());
        var odd = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 6, 5), Nd4j.ones(DataType.FLOAT, 3, 5), 0.04));
        assertTrue(odd.getMessage().contains("got [3, 5]"), odd.getMessage());
        var type = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.DOUBLE, 6, 5), t, 0.04));
        assertTrue(type.getMessage().contains("student must have data type FLOAT"), type.getMessage());
        var temp = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(Nd4j.ones(DataType.FLOAT, 6, 5), t, Double.NaN));
        assertEquals("DinoLoss.compute: teacherTemperature must be finite and > 0, got NaN", temp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DinoLoss(5, 1, 0.1, 0.9, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> new DinoLoss(5, 3, 0.1, 1.0, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> new DinoLoss(5, 3, 0.0, 0.9, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> new DinoLoss(0, DataType.FLOAT));
        assertThrows(IllegalArgumentException.class, () -> new DinoLoss(5, DataType.INT32));
    }
}
