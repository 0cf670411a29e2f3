package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** DiversityLoss and FeaturePenalty. */
class PenaltyLossesTest {

    @Test
    void diversity_handWorkedCase_matchesWrittenOutNumbers() {
        // frames: softmax(0, 0) = (.5, .5), softmax(ln 3, 0) = (.75, .25); average (.625, .375);
        // perplexity = exp(-(.625 ln .625 + .375 ln .375)) = 1.9378188533146163 (with fairseq's +1e-7 in the log)
        // value = (2 - 1.9378188533146163) / 2 = 0.03109057334269183
        INDArray x = Nd4j.createFromArray(new double[][][] {{{0, 0}}, {{Math.log(3), 0}}});
        PenaltyResult r = new DiversityLoss().compute(x);
        assertEquals(0.03109057334269183, r.value(), 1e-14);
        assertEquals(1.9378188533146163, r.statistic(), 1e-13);
    }

    @Test
    void diversity_uniformUse_isZero() {
        // every frame uniform over its codebook: perplexity = G V, value 0 (up to the 1e-7 in the log)
        PenaltyResult r = new DiversityLoss().compute(Nd4j.zeros(DataType.DOUBLE, 4, 2, 8));
        assertEquals(0.0, r.value(), 1e-5);
        assertEquals(16.0, r.statistic(), 1e-4);
    }

    @Test
    void diversity_matchesPyTorchFixture_float64_and_float32() {
        JsonNode f = SpeechFixtures.get("diversity");
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            PenaltyResult r = new DiversityLoss().compute(SpeechFixtures.floats(f.get("inputs").get("logits"), dt));
            SpeechFixtures.assertClose("value " + dt, f.get("value").asDouble(), r.value(), tol);
            SpeechFixtures.assertClose("perplexity " + dt, f.get("perplexity").asDouble(), r.statistic(), tol);
            assertEquals(dt, r.gradient().dataType());
            SpeechFixtures.assertClose("grad " + dt, SpeechFixtures.floats(f.get("grads").get("logits"), DataType.DOUBLE),
                    r.gradient(), tol);
        }
    }

    @Test
    void diversity_gradient_matchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 3, 4).muli(2);
        DiversityLoss loss = new DiversityLoss();
        INDArray g = loss.compute(x).gradient().dup();
        SpeechFixtures.assertGradient("diversity", g, a -> loss.compute(a).value(), x);
    }

    @Test
    void diversity_badShape_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DiversityLoss().compute(Nd4j.zeros(DataType.DOUBLE, 4, 8)));
        assertTrue(e.getMessage().startsWith("DiversityLoss.compute: logits must have rank 3 [F, G, V], got rank 2 with shape [4, 8]"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DiversityLoss().compute(Nd4j.zeros(DataType.INT32, 4, 2, 8)));
    }

    @Test
    void featurePenalty_handWorkedCase() {
        // (1 + 4 + 9 + 16) / 4 = 7.5; gradient 2 z / 4
        PenaltyResult r = new FeaturePenalty().compute(Nd4j.createFromArray(new double[][] {{1, 2}, {3, -4}}));
        assertEquals(7.5, r.value(), 1e-14);
        SpeechFixtures.assertClose("grad", Nd4j.createFromArray(new double[][] {{0.5, 1}, {1.5, -2}}), r.gradient(), 1e-15);
    }

    @Test
    void featurePenalty_matchesPyTorchFixture_andFiniteDifferences() {
        JsonNode f = SpeechFixtures.get("feature_penalty");
        for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            PenaltyResult r = new FeaturePenalty().compute(SpeechFixtures.floats(f.get("inputs").get("features"), dt));
            SpeechFixtures.assertClose("value", f.get("value").asDouble(), r.value(), tol);
            SpeechFixtures.assertClose("grad", SpeechFixtures.floats(f.get("grads").get("features"), DataType.DOUBLE),
                    r.gradient(), tol);
        }
        FeaturePenalty p = new FeaturePenalty();
        INDArray z = SpeechFixtures.floats(f.get("inputs").get("features"), DataType.DOUBLE);
        INDArray g = p.compute(z).gradient().dup();
        SpeechFixtures.assertGradient("features", g, a -> p.compute(a).value(), z);
    }

    @Test
    void featurePenalty_badInput_throws() {
        assertThrows(IllegalArgumentException.class, () -> new FeaturePenalty().compute(Nd4j.zeros(DataType.INT32, 3)));
        assertThrows(IllegalArgumentException.class, () -> new FeaturePenalty().compute(null));
    }
}
