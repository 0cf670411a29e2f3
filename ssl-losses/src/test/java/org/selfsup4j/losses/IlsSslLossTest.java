package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IlsSslLossTest {

    private static List<INDArray> list(JsonNode arrays, DataType dt) {
        List<INDArray> out = new ArrayList<>();
        for (JsonNode a : arrays) {
            out.add(SpeechFixtures.floats(a, dt));
        }
        return out;
    }

    @Test
    void defaults_areLayer4AndTopOf12() {
        assertArrayEquals(new int[] {4, 12}, new IlsSslLoss().layers());
        assertEquals(12, IlsSslLoss.DEFAULT_NUM_LAYERS);
    }

    @Test
    void compute_matchesPyTorchFixture_float64_and_float32() {
        JsonNode f = SpeechFixtures.get("ils_ssl");
        int[] layers = {f.get("layers").get(0).asInt(), f.get("layers").get(1).asInt()};
        String[] keys = {"hidden", "W", "b", "E"};
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            IlsSslLoss loss = new IlsSslLoss(layers, 0.1, 0.0);
            MaskedPredictionResult r = loss.compute(list(f.get("hidden"), dt), list(f.get("W"), dt), list(f.get("b"), dt),
                    list(f.get("E"), dt), SpeechFixtures.ints(f.get("inputs").get("ids")),
                    SpeechFixtures.ints(f.get("inputs").get("mask")));
            SpeechFixtures.assertClose("value " + dt, f.get("value").asDouble(), r.value(), tol);
            assertEquals(f.get("accuracy_top").asDouble(), r.accuracy(), 1e-12);
            assertEquals(f.get("count").asLong(), r.count());
            assertEquals(r.value(), r.term("layer2") + r.term("layer5"), 1e-12);
            for (int j = 0; j < 2; j++) {
                for (int which = 0; which < 4; which++) {
                    SpeechFixtures.assertClose(keys[which] + j + " " + dt,
                            SpeechFixtures.floats(f.get("grads").get(keys[which]).get(j), DataType.DOUBLE),
                            r.gradient(IlsSslLoss.gradientIndex(j, which)), tol);
                }
            }
        }
    }

    @Test
    void gradients_matchFiniteDifferences() {
        JsonNode f = SpeechFixtures.get("ils_ssl");
        List<INDArray> hs = list(f.get("hidden"), DataType.DOUBLE);
        List<INDArray> ws = list(f.get("W"), DataType.DOUBLE);
        List<INDArray> bs = list(f.get("b"), DataType.DOUBLE);
        List<INDArray> es = list(f.get("E"), DataType.DOUBLE);
        INDArray ids = SpeechFixtures.ints(f.get("inputs").get("ids"));
        INDArray mask = SpeechFixtures.ints(f.get("inputs").get("mask"));
        IlsSslLoss loss = new IlsSslLoss(new int[] {2, 5}, 0.1, 0.0);
        MaskedPredictionResult r = loss.compute(hs, ws, bs, es, ids, mask);
        INDArray gh = r.gradient(IlsSslLoss.gradientIndex(0, HubertLoss.GRAD_OUTPUT)).dup();
        INDArray ge = r.gradient(IlsSslLoss.gradientIndex(1, HubertLoss.GRAD_EMBEDDINGS)).dup();
        INDArray gw = r.gradient(IlsSslLoss.gradientIndex(1, HubertLoss.GRAD_PROJECTION)).dup();
        SpeechFixtures.assertGradient("hidden layer 2", gh, x -> {
            List<INDArray> h2 = new ArrayList<>(hs);
            h2.set(1, x);
            return loss.compute(h2, ws, bs, es, ids, mask).value();
        }, hs.get(1));
        SpeechFixtures.assertGradient("E layer 5", ge, x -> loss.compute(hs, ws, bs, List.of(es.get(0), x), ids, mask).value(),
                es.get(1));
        SpeechFixtures.assertGradient("W layer 5", gw, x -> loss.compute(hs, List.of(ws.get(0), x), bs, es, ids, mask).value(),
                ws.get(1));
    }

    @Test
    void compute_badArguments_throw() {
        JsonNode f = SpeechFixtures.get("ils_ssl");
        List<INDArray> hs = list(f.get("hidden"), DataType.DOUBLE);
        List<INDArray> ws = list(f.get("W"), DataType.DOUBLE);
        List<INDArray> es = list(f.get("E"), DataType.DOUBLE);
        INDArray ids = SpeechFixtures.ints(f.get("inputs").get("ids"));
        INDArray mask = SpeechFixtures.ints(f.get("inputs").get("mask"));
        assertThrows(IllegalArgumentException.class, () -> new IlsSslLoss().compute(hs, ws, null, es, ids, mask));
        assertThrows(IllegalArgumentException.class,
                () -> new IlsSslLoss(new int[] {2, 5}, 0.1, 0).compute(hs, ws.subList(0, 1), null, es, ids, mask));
        assertThrows(IllegalArgumentException.class, () -> new IlsSslLoss(new int[] {5, 2}, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new IlsSslLoss(new int[] {0}, 0.1, 0));
    }
}
