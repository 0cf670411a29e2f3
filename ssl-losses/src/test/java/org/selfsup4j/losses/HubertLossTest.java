package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class HubertLossTest {

    @Test
    void compute_handWorkedCase_matchesWrittenOutNumbers() {
        // o = (2, 0), W = I, b = 0, E = {(1,0), (0,1), (-1,0)}, label 0:
        // logits = cos/0.1 = (10, 0, -10); CE = log(1 + e^-10 + e^-20) = 4.5400960276988595e-05
        INDArray o = Nd4j.createFromArray(new double[][][] {{{2, 0}}});
        INDArray w = Nd4j.eye(2).castTo(DataType.DOUBLE);
        INDArray e = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {-1, 0}});
        MaskedPredictionResult r = new HubertLoss().compute(o, w, Nd4j.zeros(DataType.DOUBLE, 2), e,
                Nd4j.createFromArray(new int[][] {{0}}), Nd4j.createFromArray(new boolean[][] {{true}}));
        // lse(l) - l_0 cancels ~11 digits here: compare to 1e-9 relative
        assertEquals(4.5400960276988595e-05, r.value(), 5e-14);
        assertEquals(1.0, r.accuracy());
        assertEquals(1, r.count());
    }

    private static MaskedPredictionResult fromFixture(String name, DataType dt, HubertLoss loss) {
        JsonNode in = SpeechFixtures.get(name).get("inputs");
        return loss.compute(SpeechFixtures.floats(in.get("o"), dt), SpeechFixtures.floats(in.get("W"), dt),
                SpeechFixtures.floats(in.get("b"), dt), SpeechFixtures.floats(in.get("E"), dt),
                SpeechFixtures.ints(in.get("ids")), SpeechFixtures.ints(in.get("mask")));
    }

    @Test
    void compute_matchesPyTorchFixtures_float64_and_float32() {
        String[] grads = {"o", "W", "b", "E"};
        for (String name : new String[] {"hubert", "hubert_unmasked"}) {
            JsonNode f = SpeechFixtures.get(name);
            double wu = f.get("unmasked_weight").asDouble();
            for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
                double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
                MaskedPredictionResult r = fromFixture(name, dt, new HubertLoss(0.1, 1.0, wu));
                String what = name + " " + dt;
                SpeechFixtures.assertClose(what + " value", f.get("value").asDouble(), r.value(), tol);
                SpeechFixtures.assertClose(what + " masked", f.get("masked").asDouble(), r.term("masked"), tol);
                assertEquals(f.get("count").asLong(), r.count(), what);
                assertEquals(f.get("accuracy").asDouble(), r.accuracy(), 1e-12, what);
                for (int i = 0; i < 4; i++) {
                    SpeechFixtures.assertClose(what + " d" + grads[i],
                            SpeechFixtures.floats(f.get("grads").get(grads[i]), DataType.DOUBLE), r.gradient(i), tol);
                }
            }
        }
    }

    @Test
    void gradients_matchFiniteDifferences() {
        JsonNode in = SpeechFixtures.get("hubert_unmasked").get("inputs");
        INDArray o = SpeechFixtures.floats(in.get("o"), DataType.DOUBLE);
        INDArray w = SpeechFixtures.floats(in.get("W"), DataType.DOUBLE);
        INDArray b = SpeechFixtures.floats(in.get("b"), DataType.DOUBLE);
        INDArray e = SpeechFixtures.floats(in.get("E"), DataType.DOUBLE);
        INDArray ids = SpeechFixtures.ints(in.get("ids"));
        INDArray mask = SpeechFixtures.ints(in.get("mask"));
        HubertLoss loss = new HubertLoss(0.1, 1.0, 0.3);
        MaskedPredictionResult r = loss.compute(o, w, b, e, ids, mask);
        INDArray go = r.gradient(HubertLoss.GRAD_OUTPUT).dup();
        INDArray gw = r.gradient(HubertLoss.GRAD_PROJECTION).dup();
        INDArray gb = r.gradient(HubertLoss.GRAD_BIAS).dup();
        INDArray ge = r.gradient(HubertLoss.GRAD_EMBEDDINGS).dup();
        SpeechFixtures.assertGradient("do", go, x -> loss.compute(x, w, b, e, ids, mask).value(), o);
        SpeechFixtures.assertGradient("dW", gw, x -> loss.compute(o, x, b, e, ids, mask).value(), w);
        SpeechFixtures.assertGradient("db", gb, x -> loss.compute(o, w, x, e, ids, mask).value(), b);
        SpeechFixtures.assertGradient("dE", ge, x -> loss.compute(o, w, b, x, ids, mask).value(), e);
    }

    @Test
    void compute_withoutBias_equalsZeroBias() {
        JsonNode in = SpeechFixtures.get("hubert").get("inputs");
        INDArray o = SpeechFixtures.floats(in.get("o"), DataType.DOUBLE);
        INDArray w = SpeechFixtures.floats(in.get("W"), DataType.DOUBLE);
        INDArray e = SpeechFixtures.floats(in.get("E"), DataType.DOUBLE);
        INDArray ids = SpeechFixtures.ints(in.get("ids"));
        INDArray mask = SpeechFixtures.ints(in.get("mask"));
        MaskedPredictionResult none = new HubertLoss().compute(o, w, null, e, ids, mask);
        MaskedPredictionResult zero = new HubertLoss().compute(o, w, Nd4j.zeros(DataType.DOUBLE, w.size(1)), e, ids, mask);
        assertEquals(zero.value(), none.value(), 1e-12);
        assertNull(none.gradient(HubertLoss.GRAD_BIAS));
    }

    @Test
    void compute_zeroVectors_staysFinite() {
        INDArray o = Nd4j.zeros(DataType.FLOAT, 1, 2, 3);
        MaskedPredictionResult r = new HubertLoss().compute(o, Nd4j.ones(DataType.FLOAT, 3, 2), null,
                Nd4j.zeros(DataType.FLOAT, 4, 2), Nd4j.createFromArray(new int[][] {{1, 3}}),
                Nd4j.createFromArray(new int[][] {{1, 1}}));
        assertEquals(2 * Math.log(4), r.value(), 1e-5);
        for (int i : new int[] {0, 1, 3}) {
            assertTrue(Wav2Vec2ContrastiveLossTest.isFinite(r.gradient(i)), "gradient " + i);
        }
    }

    @Test
    void compute_badArguments_throw() {
        HubertLoss loss = new HubertLoss();
        INDArray o = Nd4j.rand(DataType.DOUBLE, 1, 2, 3);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 3, 2);
        INDArray e = Nd4j.rand(DataType.DOUBLE, 4, 2);
        INDArray ids = Nd4j.createFromArray(new int[][] {{1, 3}});
        INDArray mask = Nd4j.createFromArray(new int[][] {{1, 1}});
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> loss.compute(o, Nd4j.rand(DataType.DOUBLE, 4, 2), null, e, ids, mask));
        assertTrue(ex.getMessage().startsWith("HubertLoss.compute: W must have shape [3, Dp]"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loss.compute(o, w, null, Nd4j.rand(DataType.DOUBLE, 4, 3), ids, mask));
        assertThrows(IllegalArgumentException.class, () -> loss.compute(o, w, Nd4j.rand(DataType.DOUBLE, 3), e, ids, mask));
        assertThrows(IllegalArgumentException.class, () -> loss.compute(o, w.castTo(DataType.FLOAT), null, e, ids, mask));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(o, w, null, e, Nd4j.createFromArray(new int[][] {{1, 4}}), mask));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(o, w, null, e, Nd4j.createFromArray(new int[] {1, 2}), mask));
        assertThrows(IllegalArgumentException.class,
                () -> loss.compute(o, w, null, e, ids, Nd4j.createFromArray(new int[][] {{1, 1, 1}})));
        assertThrows(IllegalArgumentException.class, () -> new HubertLoss(0.1, 1, -0.5));
    }
}
