package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Wav2Vec2ContrastiveLossTest {

    @Test
    void compute_handWorkedCase_matchesWrittenOutNumbers() {
        // c0=(1,0), c1=(0,2); q0=(3,0), q1=(1,1); both steps masked, each the other's distractor.
        // step 0: logits 10*cos(c0,q0)=10, 10*cos(c0,q1)=7.0710678 -> log(1+e^-2.9289322) = 0.05207437152709813
        // step 1: logits 10*cos(c1,q1)=7.0710678, 10*cos(c1,q0)=0 -> log(1+e^-7.0710678) = 8.489652317343636e-4
        INDArray c = Nd4j.createFromArray(new double[][][] {{{1, 0}, {0, 2}}});
        INDArray q = Nd4j.createFromArray(new double[][][] {{{3, 0}, {1, 1}}});
        INDArray mask = Nd4j.createFromArray(new boolean[][] {{true, true}});
        INDArray idx = Nd4j.createFromArray(new int[][][] {{{1}, {0}}});
        MaskedPredictionResult r = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE).compute(c, q, mask, idx);
        assertEquals(0.05292333675883249, r.value(), 1e-14);
        assertEquals(0.05292333675883249 / 2, r.mean(), 1e-14);
        assertEquals(1.0, r.accuracy());
        assertEquals(2, r.count());
    }

    @Test
    void compute_float64_matchesPyTorchFixture() {
        checkFixture(DataType.DOUBLE, 1e-10);
    }

    @Test
    void compute_float32_matchesPyTorchFixture() {
        checkFixture(DataType.FLOAT, 1e-4);
    }

    private static void checkFixture(DataType dt, double tol) {
        JsonNode f = SpeechFixtures.get("contrastive");
        JsonNode in = f.get("inputs");
        INDArray c = SpeechFixtures.floats(in.get("c"), dt);
        MaskedPredictionResult r = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE).compute(c, SpeechFixtures.floats(in.get("q"), dt),
                SpeechFixtures.ints(in.get("mask")), SpeechFixtures.ints(in.get("distractors")));
        SpeechFixtures.assertClose("value", f.get("value").asDouble(), r.value(), tol);
        assertEquals(f.get("accuracy").asDouble(), r.accuracy(), 1e-12);
        assertEquals(f.get("count").asLong(), r.count());
        assertEquals(dt, r.gradient(Wav2Vec2ContrastiveLoss.GRAD_CONTEXT).dataType());
        SpeechFixtures.assertClose("dc", SpeechFixtures.floats(f.get("grads").get("c"), DataType.DOUBLE),
                r.gradient(Wav2Vec2ContrastiveLoss.GRAD_CONTEXT), tol);
        SpeechFixtures.assertClose("dq", SpeechFixtures.floats(f.get("grads").get("q"), DataType.DOUBLE),
                r.gradient(Wav2Vec2ContrastiveLoss.GRAD_TARGETS), tol);
    }

    @Test
    void compute_distractorIdenticalToPositive_isDroppedFromSoftmax() {
        // q1 == q0 exactly: for step 0 the distractor 1 gets logit -inf (fairseq's neg_is_pos), so step 0
        // with distractors {1, 2} scores as with {2} alone; for step 1 the distractor 0 is dropped likewise.
        Nd4j.getRandom().setSeed(3);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        INDArray q = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        q.get(NDArrayIndex.point(0), NDArrayIndex.point(1)).assign(q.get(NDArrayIndex.point(0), NDArrayIndex.point(0)));
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 1, 1}});
        INDArray idx = Nd4j.createFromArray(new int[][][] {{{1, 2}, {0, 2}, {0, 1}}});
        double expected = stepLoss(c, q, 0, new int[] {2}) + stepLoss(c, q, 1, new int[] {2})
                + stepLoss(c, q, 2, new int[] {0, 1});
        MaskedPredictionResult r = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE).compute(c, q, mask, idx);
        assertEquals(expected, r.value(), 1e-12);
        // without the rule the loss would be larger: log(1 + e^(l_1 - l_0) + ...) with l_1 == l_0 for step 0
        assertTrue(stepLoss(c, q, 0, new int[] {1, 2}) > stepLoss(c, q, 0, new int[] {2}) + 0.1);
    }

    /** Cross-entropy of one step written out in double: positive index 0 among [t, js...]. */
    private static double stepLoss(INDArray c, INDArray q, int t, int[] js) {
        double[] l = new double[js.length + 1];
        l[0] = cos(c, t, q, t) / 0.1;
        for (int i = 0; i < js.length; i++) {
            l[i + 1] = cos(c, t, q, js[i]) / 0.1;
        }
        double s = 0;
        for (double v : l) {
            s += Math.exp(v - l[0]);
        }
        return Math.log(s);
    }

    private static double cos(INDArray c, int t, INDArray q, int j) {
        double dot = 0;
        double nc = 0;
        double nq = 0;
        for (int i = 0; i < c.size(2); i++) {
            double a = c.getDouble(0, t, i);
            double b = q.getDouble(0, j, i);
            dot += a * b;
            nc += a * a;
            nq += b * b;
        }
        return dot / Math.sqrt(nc) / Math.sqrt(nq);
    }

    @Test
    void gradients_matchFiniteDifferences() {
        Nd4j.getRandom().setSeed(11);
        INDArray c = Nd4j.randn(DataType.DOUBLE, 2, 5, 3);
        INDArray q = Nd4j.randn(DataType.DOUBLE, 2, 5, 3);
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 0, 1, 1, 0}, {1, 1, 1, 1, 1}});
        INDArray idx = DistractorSampler.sample(mask, 4, new SplittableRandom(5));
        Wav2Vec2ContrastiveLoss loss = new Wav2Vec2ContrastiveLoss(0.5);
        MaskedPredictionResult r = loss.compute(c, q, mask, idx);
        INDArray gc = r.gradient(0).dup();
        INDArray gq = r.gradient(1).dup();
        SpeechFixtures.assertGradient("dc", gc, x -> loss.compute(x, q, mask, idx).value(), c);
        SpeechFixtures.assertGradient("dq", gq, x -> loss.compute(c, x, mask, idx).value(), q);
    }

    @Test
    void compute_identicalOrZeroVectors_staysFinite() {
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 1, 1}});
        INDArray idx = Nd4j.createFromArray(new int[][][] {{{1, 2}, {0, 2}, {0, 1}}});
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            INDArray same = Nd4j.ones(dt, 1, 3, 4);
            INDArray zero = Nd4j.zeros(dt, 1, 3, 4);
            Wav2Vec2ContrastiveLoss loss = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE);
            for (INDArray[] cq : new INDArray[][] {{same, same}, {zero, zero}, {same, zero}, {zero, same}}) {
                MaskedPredictionResult r = loss.compute(cq[0], cq[1], mask, idx);
                assertTrue(Double.isFinite(r.value()), dt + " value " + r.value());
                assertTrue(isFinite(r.gradient(0)) && isFinite(r.gradient(1)), dt + " gradient not finite");
            }
            // identical targets: every distractor equals the positive and is dropped, loss 0
            assertEquals(0.0, loss.compute(same, same, mask, idx).value(), 1e-6);
        }
    }

    static boolean isFinite(INDArray x) {
        for (double v : x.castTo(DataType.DOUBLE).dup().data().asDouble()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void compute_mismatchedShapes_throws() {
        Wav2Vec2ContrastiveLoss loss = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 1, 1}});
        INDArray idx = Nd4j.createFromArray(new int[][][] {{{1}, {0}, {0}}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(c, Nd4j.rand(DataType.DOUBLE, 1, 3, 5), mask, idx));
        assertTrue(e.getMessage().startsWith("Wav2Vec2ContrastiveLoss.compute: c and q must have the same shape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.compute(c, c.castTo(DataType.FLOAT), mask, idx));
        assertThrows(IllegalArgumentException.class, () -> loss.compute(c.reshape(3, 4), c.reshape(3, 4), mask, idx));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(c, c, Nd4j.createFromArray(new int[][] {{1, 1}}), idx));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(c, c, Nd4j.createFromArray(new int[][] {{1, 2, 1}}), idx));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(c, c, mask, Nd4j.createFromArray(new int[][] {{1, 0, 0}})));
        assertThrows(IllegalArgumentException.class, () -> loss.compute(c, c, mask, idx.castTo(DataType.DOUBLE)));
        assertThrows(IllegalArgumentException.class, () -> new Wav2Vec2ContrastiveLoss(0));
    }

    @Test
    void compute_badDistractorIndex_throws() {
        Wav2Vec2ContrastiveLoss loss = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 1, 0}});
        for (int[][][] bad : new int[][][][] {{{{0}, {0}, {0}}}, {{{2}, {0}, {0}}}, {{{3}, {0}, {0}}}, {{{-1}, {0}, {0}}}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.compute(c, c, mask, Nd4j.createFromArray(bad)));
            assertTrue(e.getMessage().contains("distractors[0, 0, 0] must be another masked step"), e.getMessage());
        }
    }

    @Test
    void compute_noMaskedStep_isZeroWithZeroGradients() {
        INDArray c = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        MaskedPredictionResult r = new Wav2Vec2ContrastiveLoss(DEFAULT_LOGIT_TEMPERATURE).compute(c, c, Nd4j.zeros(DataType.INT32, 1, 3),
                Nd4j.zeros(DataType.INT32, 1, 3, 2));
        assertEquals(0.0, r.value());
        assertEquals(0, r.count());
        assertTrue(Double.isNaN(r.accuracy()));
        assertEquals(0.0, r.gradient(0).amaxNumber().doubleValue());
    }
}
