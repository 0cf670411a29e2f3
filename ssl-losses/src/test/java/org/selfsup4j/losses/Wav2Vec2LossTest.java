package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class Wav2Vec2LossTest {

    private static INDArray[] inputs(DataType dt) {
        JsonNode in = SpeechFixtures.get("wav2vec2").get("inputs");
        return new INDArray[] {SpeechFixtures.floats(in.get("c"), dt), SpeechFixtures.floats(in.get("q"), dt),
            SpeechFixtures.ints(in.get("mask")), SpeechFixtures.ints(in.get("distractors")),
            SpeechFixtures.floats(in.get("logits"), dt), SpeechFixtures.floats(in.get("features"), dt)};
    }

    @Test
    void compute_matchesFairseqScaling_float64_and_float32() {
        JsonNode f = SpeechFixtures.get("wav2vec2");
        String[] names = {"c", "q", "logits", "features"};
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            INDArray[] in = inputs(dt);
            MaskedPredictionResult r = new Wav2Vec2Loss().compute(in[0], in[1], in[2], in[3], in[4], in[5]);
            SpeechFixtures.assertClose("value " + dt, f.get("value").asDouble(), r.value(), tol);
            assertEquals(f.get("count").asLong(), r.count());
            SpeechFixtures.assertClose("mean", f.get("value").asDouble() / f.get("count").asDouble(), r.mean(), tol);
            for (int i = 0; i < 4; i++) {
                SpeechFixtures.assertClose(names[i] + " " + dt,
                        SpeechFixtures.floats(f.get("grads").get(names[i]), DataType.DOUBLE), r.gradient(i), tol);
            }
        }
    }

    @Test
    void compute_value_isSumOfWeightedTerms() {
        INDArray[] in = inputs(DataType.DOUBLE);
        MaskedPredictionResult r = new Wav2Vec2Loss(0.1, 0.3, 2.0).compute(in[0], in[1], in[2], in[3], in[4], in[5]);
        double m = r.count();
        assertEquals(r.term("contrastive") + 0.3 * m * r.term("diversity") + 2.0 * m * r.term("feature_penalty"),
                r.value(), 1e-12);
        JsonNode f = SpeechFixtures.get("contrastive");
        assertEquals(f.get("value").asDouble(), r.term("contrastive"), 1e-10);
    }

    @Test
    void gradients_matchFiniteDifferences() {
        INDArray[] in = inputs(DataType.DOUBLE);
        Wav2Vec2Loss loss = new Wav2Vec2Loss();
        MaskedPredictionResult r = loss.compute(in[0], in[1], in[2], in[3], in[4], in[5]);
        INDArray gl = r.gradient(Wav2Vec2Loss.GRAD_CODEBOOK_LOGITS).dup();
        INDArray gf = r.gradient(Wav2Vec2Loss.GRAD_FEATURES).dup();
        // Only the term that depends on the perturbed input is differenced: the others (contrastive ~22,
        // feature penalty ~77) would add round-off of ~1e-8 to gradients of ~1e-5.
        double m = r.count();
        SpeechFixtures.assertGradient("logits", gl, x -> DiversityLoss.DEFAULT_WEIGHT * m
                * loss.compute(in[0], in[1], in[2], in[3], x, in[5]).term("diversity"), in[4]);
        SpeechFixtures.assertGradient("features", gf, x -> FeaturePenalty.DEFAULT_WEIGHT * m
                * loss.compute(in[0], in[1], in[2], in[3], in[4], x).term("feature_penalty"), in[5]);
    }

    @Test
    void compute_withoutOptionalTerms_isContrastiveOnly() {
        INDArray[] in = inputs(DataType.DOUBLE);
        MaskedPredictionResult r = new Wav2Vec2Loss().compute(in[0], in[1], in[2], in[3], null, null);
        assertEquals(SpeechFixtures.get("contrastive").get("value").asDouble(), r.value(), 1e-10);
        assertNull(r.gradient(Wav2Vec2Loss.GRAD_FEATURES));
        assertThrows(IllegalArgumentException.class, () -> r.term("diversity"));
        assertThrows(IllegalArgumentException.class, () -> new Wav2Vec2Loss(0.1, -1, 10));
    }
}
