package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.InfoNceLoss.DEFAULT_TEMPERATURE;
import static org.selfsup4j.losses.LossTesting.assertClose;
import static org.selfsup4j.losses.LossTesting.assertValueClose;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class InfoNceLossTest {

    static List<LossTesting.FixtureCase> fixtures() {
        return LossTesting.load("infonce.json");
    }

    @Test
    void compute_twoByTwoWorkedByHand_matchesFormula() {
        INDArray q = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        INDArray k = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 1}});
        INDArray neg = Nd4j.createFromArray(new double[][] {{0, 1}, {-1, 0}});
        double s = Math.sqrt(0.5);
        double l0 = -1 + Math.log(Math.exp(1) + Math.exp(0) + Math.exp(-1));
        double l1 = -s + Math.log(Math.exp(s) + Math.exp(1) + Math.exp(0));
        assertEquals((l0 + l1) / 2, new InfoNceLoss(1.0).compute(q, k, neg).value(), 1e-14);
    }

    @Test
    void compute_keyEqualsQueryNegativesOrthogonal_matchesClosedForm() {
        double t = 0.2;
        INDArray q = Nd4j.zeros(DataType.DOUBLE, 2, 5);
        q.putScalar(0, 0, 2.0);
        q.putScalar(1, 1, 0.5);
        INDArray neg = Nd4j.zeros(DataType.DOUBLE, 3, 5);
        neg.putScalar(0, 2, 1.0);
        neg.putScalar(1, 3, -4.0);
        neg.putScalar(2, 4, 1.0);
        double expected = -1 / t + Math.log(Math.exp(1 / t) + 3);
        assertEquals(expected, new InfoNceLoss(t).compute(q, q.dup(), neg).value(), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float64_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.DOUBLE);
        LossResult r = new InfoNceLoss(c.param("temperature")).compute(x[0], x[1], x[2]);
        assertValueClose(c.value(), r.value(), 1e-10, "value");
        for (int i = 0; i < 3; i++) {
            assertClose(c.gradients().get(i), r.gradient(i), 1e-10, "gradient " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void compute_float32_matchesPyTorch(LossTesting.FixtureCase c) {
        INDArray[] x = c.inputs(DataType.FLOAT);
        LossResult r = new InfoNceLoss(c.param("temperature")).compute(x[0], x[1], x[2]);
        assertEquals(DataType.FLOAT, r.gradient(2).dataType());
        assertValueClose(c.value(), r.value(), 1e-4, "value");
        for (int i = 0; i < 3; i++) {
            assertClose(c.gradients().get(i), r.gradient(i), 1e-4, "gradient " + i);
        }
    }

    @Test
    void gradients_matchFiniteDifferences() {
        InfoNceLoss loss = new InfoNceLoss(0.3);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(a[0], a[1], a[2]), 1e-6,
                LossTesting.randn(1, DataType.DOUBLE, 3, 4), LossTesting.randn(2, DataType.DOUBLE, 3, 4),
                LossTesting.randn(3, DataType.DOUBLE, 5, 4));
    }

    @Test
    void compute_withMocoQueue_usesItsNegatives() {
        MocoQueue queue = new MocoQueue(7, 4, DataType.DOUBLE, 42);
        INDArray q = LossTesting.randn(4, DataType.DOUBLE, 3, 4);
        INDArray k = LossTesting.randn(5, DataType.DOUBLE, 3, 4);
        double before = new InfoNceLoss(DEFAULT_TEMPERATURE).compute(q, k, queue.negatives()).value();
        double expected = new InfoNceLoss(DEFAULT_TEMPERATURE).compute(q, k, queue.negatives().dup()).value();
        assertEquals(expected, before, 1e-14);
        queue.enqueue(k);
        assertTrue(Math.abs(new InfoNceLoss(DEFAULT_TEMPERATURE).compute(q, k, queue.negatives()).value() - before) > 1e-6,
                "enqueued keys change the negatives");
    }

    @Test
    void gradient_negativesAfterNextCompute_throws() {
        InfoNceLoss loss = new InfoNceLoss(DEFAULT_TEMPERATURE);
        INDArray q = LossTesting.randn(8, DataType.DOUBLE, 2, 3);
        INDArray neg = LossTesting.randn(9, DataType.DOUBLE, 4, 3);
        LossResult first = loss.compute(q, q, neg);
        INDArray kept = first.gradient(2).dup();
        LossResult second = loss.compute(q, q.mul(-1), neg);
        assertTrue(second.gradient(2).sub(kept).amaxNumber().doubleValue() > 1e-6);
        assertEquals(kept, new InfoNceLoss(DEFAULT_TEMPERATURE).compute(q, q, neg).gradient(2));
        LossResult stale = loss.compute(q, q, neg);
        loss.compute(q, q, neg);
        assertThrows(IllegalStateException.class, () -> stale.gradient(2));
    }

    @Test
    void compute_negativesNormalizedFlag_matchesThreeArgumentMethod() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            MocoQueue queue = new MocoQueue(37, 6, type, 3);
            INDArray q = LossTesting.randn(10, type, 5, 6);
            INDArray k = LossTesting.randn(11, type, 5, 6);
            LossResult plain = new InfoNceLoss(0.2).compute(q, k, queue.negatives());
            LossResult flagged = new InfoNceLoss(0.2).compute(q, k, queue.negatives(), true);
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            assertValueClose(plain.value(), flagged.value(), tol, type + " value");
            for (int i = 0; i < 3; i++) {
                assertClose(plain.gradient(i), flagged.gradient(i), tol, type + " gradient " + i);
            }
        }
    }

    @Test
    void compute_negativesNormalizedFlagOnUnnormalizedRows_usesThemAsGiven() {
        // The flag is a promise: rows of norm 2 are not rescaled, so the logits double.
        INDArray q = Nd4j.createFromArray(new double[][] {{1, 0}});
        INDArray neg = Nd4j.createFromArray(new double[][] {{2, 0}});
        double l0 = 1.0;
        double l1 = 2.0;
        double expected = -l0 + Math.log(Math.exp(l0) + Math.exp(l1));
        assertEquals(expected, new InfoNceLoss(1.0).compute(q, q, neg, true).value(), 1e-14);
    }

    @Test
    void compute_tinyTemperature_isFinite() {
        INDArray q = LossTesting.randn(6, DataType.FLOAT, 4, 8);
        LossResult r = new InfoNceLoss(0.01).compute(q, q, LossTesting.randn(7, DataType.FLOAT, 16, 8));
        assertTrue(Double.isFinite(r.value()));
        assertTrue(LossTesting.allFinite(r.gradient(0)) && LossTesting.allFinite(r.gradient(2)));
    }

    @Test
    void compute_negativesOfWrongWidth_throws() {
        var e = assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 8, 3)));
        assertTrue(e.getMessage().contains("InfoNceLoss.compute") && e.getMessage().contains("[8, 3]"), e.getMessage());
    }

    @Test
    void compute_mismatchedQueryAndKey_throws() {
        assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 3, 4), Nd4j.ones(DataType.FLOAT, 8, 4)));
        assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.DOUBLE, 8, 4)));
        assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(DEFAULT_TEMPERATURE).compute(
                Nd4j.ones(DataType.FLOAT, 4), Nd4j.ones(DataType.FLOAT, 4), Nd4j.ones(DataType.FLOAT, 8, 4)));
    }

    @Test
    void constructor_nonPositiveTemperature_throws() {
        assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(0));
        assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(-1));
        assertEquals(0.2, new InfoNceLoss(DEFAULT_TEMPERATURE).temperature());
    }
}
