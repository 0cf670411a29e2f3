package org.selfsup4j.speech.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.speech.data.CropBatchSource;
import org.selfsup4j.speech.model.Wav2Vec2Config;

class SpeechMethodsTest {
    private static final int RATE = 8000;
    private static final int CROP = 800;

    /** Four utterances of noisy tones, one shorter than a crop (padded) and some longer (cropped). */
    private static List<float[]> audio() {
        Random r = new Random(5);
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] x = new float[600 + 300 * i];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (Math.sin(2 * Math.PI * (200 + 150 * i) * t / RATE) + 0.1 * r.nextGaussian());
            }
            xs.add(x);
        }
        return xs;
    }

    private static SpeechMethodConfig config() {
        return new SpeechMethodConfig(Wav2Vec2Config.tiny(), DataType.FLOAT, 3, new ConstantSchedule(1e-3), 3, audio(),
                RATE, CROP);
    }

    @Test
    void assemble_everyName_buildsATrainableSetup() {
        for (String name : SpeechMethods.NAMES) {
            SpeechPretrainSetup setup = SpeechMethods.assemble(name, config());
            assertEquals(name, setup.method());
            assertEquals(!name.equals("wav2vec2"), setup.targets().isPresent(), name);
            setup.targets().ifPresent(km -> assertEquals(3, km.k()));
            Trainer trainer = new Trainer(Trainer.Config.of(3, 2), setup.encoder(), setup.objective(), setup.optimizer());
            List<StepReport> rs = trainer.fit(new CropBatchSource(config().audio(), 2, CROP, 3));
            assertEquals(2, rs.size(), name);
            for (StepReport r : rs) {
                assertFalse(r.skipped(), name);
                assertTrue(Double.isFinite(r.loss()), name + " loss " + r.loss());
            }
        }
    }

    @Test
    void assemble_aliasesAndSpellings_resolveToTheMethods() {
        assertEquals("ils-ssl", SpeechMethods.assemble("ils", config()).method());
        assertEquals("ils-ssl", SpeechMethods.assemble("ILS_SSL", config()).method());
        assertEquals("hubert", SpeechMethods.assemble("HuBERT", config()).method());
        assertEquals("wav2vec2", SpeechMethods.assemble("wav2vec-2", config()).method());
    }

    @Test
    void assemble_unknownName_throwsNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpeechMethods.assemble("data2vec", config()));
        assertTrue(e.getMessage().contains("data2vec"), e.getMessage());
        for (String name : SpeechMethods.NAMES) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SpeechMethods.assemble(null, config()));
        assertThrows(IllegalArgumentException.class, () -> SpeechMethods.resolve("wav2vec3"));
        assertEquals("ils-ssl", SpeechMethods.resolve("ils"));
    }

    @Test
    void assemble_sameSeed_sameInitialTrunkForEveryMethod() {
        // The example's cached random-init baseline relies on it: every method draws its trunk first.
        List<Double> first = new ArrayList<>();
        for (String name : SpeechMethods.NAMES) {
            first.add(SpeechMethods.assemble(name, config()).backbone().contextParameters().get(0).value()
                    .sumNumber().doubleValue());
        }
        assertEquals(first.get(0), first.get(1), 0.0);
        assertEquals(first.get(0), first.get(2), 0.0);
    }

    @Test
    void config_invalid_throws() {
        assertThrows(IllegalArgumentException.class, () -> new SpeechMethodConfig(Wav2Vec2Config.tiny(), DataType.FLOAT,
                0, new ConstantSchedule(1e-3), 0, audio(), RATE, CROP));
        assertThrows(IllegalArgumentException.class, () -> new SpeechMethodConfig(Wav2Vec2Config.tiny(), DataType.INT32,
                0, new ConstantSchedule(1e-3), 3, audio(), RATE, CROP));
    }

    @Test
    void iteration2_trainsOnTheLayerUnits_andIsRefusedForWav2Vec2() {
        SpeechMethodConfig cfg = config();
        org.selfsup4j.speech.model.SpeechBackbone teacher = new org.selfsup4j.speech.model.SpeechBackbone(
                Wav2Vec2Config.tiny(), DataType.FLOAT, new java.util.SplittableRandom(9));
        for (String name : List.of("hubert", "ils")) {
            SpeechPretrainSetup s = SpeechMethods.assembleIteration2(name, cfg, w -> teacher.layerOutput(w, 1));
            assertEquals(Wav2Vec2Config.tiny().modelDim(), s.targets().orElseThrow().dimension(), name);
            Trainer t = new Trainer(Trainer.Config.of(3, 2), s.encoder(), s.objective(), s.optimizer());
            CropBatchSource b = new CropBatchSource(cfg.audio(), 2, CROP, 3);
            StepReport r = t.step(b.views(0), b.stepsPerEpoch());
            assertTrue(Double.isFinite(r.loss()), name + " loss " + r.loss());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> SpeechMethods.assembleIteration2("wav2vec2", cfg, w -> teacher.layerOutput(w, 1)));
        assertTrue(e.getMessage().contains("hubert or ils-ssl"), e.getMessage());
    }

    @Test
    void presetSizes_setTheHeads_smallAsBefore_baseAsThePapers() {
        assertEquals(Hubert.SMALL_FINAL_DIM, Hubert.finalDim(Wav2Vec2Config.small()));
        assertEquals(Hubert.SMALL_FINAL_DIM, Hubert.finalDim(Wav2Vec2Config.tiny()));
        assertEquals(256, Hubert.finalDim(Wav2Vec2Config.base()));
        assertEquals(IlsSsl.LOWER_LAYER, IlsSsl.lowerLayer(Wav2Vec2Config.small().numLayers()));
        assertEquals(1, IlsSsl.lowerLayer(2));
        assertEquals(4, IlsSsl.lowerLayer(Wav2Vec2Config.base().numLayers()));
    }
}
