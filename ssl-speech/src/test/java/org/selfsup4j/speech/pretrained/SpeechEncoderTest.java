package org.selfsup4j.speech.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.speech.data.CropBatchSource;
import org.selfsup4j.speech.data.Utterances;
import org.selfsup4j.speech.eval.LayerEmbeddings;
import org.selfsup4j.speech.io.Resampler;
import org.selfsup4j.speech.methods.SpeechMethodConfig;
import org.selfsup4j.speech.methods.SpeechMethods;
import org.selfsup4j.speech.methods.SpeechPretrainSetup;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * From pretraining to use: tiny HuBERT and wav2vec 2.0 runs of 2 steps, exported live and from their
 * checkpoints, loaded in fresh objects, embed bit-identically to the training-time trunk's probe
 * embeddings of the same preprocessed waveforms.
 */
class SpeechEncoderTest {
    static final int RATE = 8000;
    static final int CROP = 800;
    static final int LAYER = 1;
    static final LayerEmbeddings EMBEDDINGS = new LayerEmbeddings(2, 1600, 400);
    static final Wav2Vec2Config TRUNK = Wav2Vec2Config.tiny();

    @TempDir
    static Path dir;
    static SpeechPretrainSetup hubert;
    static Path hubertCheckpoint;
    static SpeechPretrainSetup wav2vec2;
    static Path wav2vec2Checkpoint;

    /** Noisy tones of different lengths, one longer than maxSamples (centre-cropped). */
    static List<float[]> audio(int rate) {
        Random r = new Random(5);
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            float[] x = new float[(600 + 400 * i) * rate / RATE];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 150 * i) * t / rate) + 0.05 * r.nextGaussian());
            }
            xs.add(x);
        }
        return xs;
    }

    static SpeechPretrainSetup train(String method, Path ckptDir, Path[] checkpoint) {
        SpeechMethodConfig cfg = new SpeechMethodConfig(TRUNK, DataType.FLOAT, 3, new ConstantSchedule(1e-3), 3,
                audio(RATE), RATE, CROP);
        SpeechPretrainSetup setup = SpeechMethods.assemble(method, cfg);
        Map<String, String> meta = new LinkedHashMap<>(Map.of("method", method, "dataset", "tones"));
        meta.putAll(SpeechEncoderExport.recipeMetadata(TRUNK, method, preprocessing()));
        Trainer trainer = new Trainer(Trainer.Config.of(3, 2).withCheckpoints(ckptDir, 100).withMetadata(meta),
                setup.encoder(), setup.objective(), setup.optimizer());
        trainer.fit(new CropBatchSource(cfg.audio(), 2, CROP, 3));
        checkpoint[0] = trainer.saveCheckpoint();
        return setup;
    }

    @BeforeAll
    static void trainTwoSteps() {
        Path[] c = new Path[1];
        hubert = train("hubert", dir.resolve("hubert"), c);
        hubertCheckpoint = c[0];
        wav2vec2 = train("wav2vec2", dir.resolve("wav2vec2"), c);
        wav2vec2Checkpoint = c[0];
    }

    /** The probe's embeddings of the trained trunk: resampled, standardised, layer LAYER. */
    static float[][] trainingTime(SpeechPretrainSetup setup, List<float[]> raw, int rate) {
        List<float[]> xs = new ArrayList<>();
        for (float[] w : raw) {
            float[] x = rate == RATE ? w.clone() : new Resampler(rate, RATE).resample(w);
            Utterances.standardize(x);
            xs.add(x);
        }
        return EMBEDDINGS.embed(setup.backbone(), xs).get(LAYER).toFloatMatrix();
    }

    static SpeechPreprocessing preprocessing() {
        return SpeechPreprocessing.of(RATE, LAYER, EMBEDDINGS);
    }

    static EncoderProvenance provenance(String method) {
        return EncoderProvenance.of(method, "tones", 2, 3, Map.of("linear_top1", 0.5));
    }

    @Test
    void hubert_exportedLive_loadedFresh_embedsBitIdentically() throws IOException {
        Path file = SpeechEncoderExport.export(hubert.backbone(), TRUNK, "hubert", preprocessing(), provenance("hubert"),
                dir.resolve("hubert.selfsup4j"));
        SpeechEncoder enc = SpeechEncoder.load(file);
        List<float[]> raw = audio(RATE);
        List<float[]> untouched = raw.stream().map(float[]::clone).toList();
        float[][] expected = trainingTime(hubert, raw, RATE);
        float[][] got = enc.embed(raw, RATE);
        assertEquals(TRUNK.modelDim(), enc.featureDim());
        for (int i = 0; i < raw.size(); i++) {
            assertArrayEquals(expected[i], got[i], 0f, "utterance " + i);
            assertArrayEquals(untouched.get(i), raw.get(i), 0f, "input " + i + " modified");
        }
        float[][] alone = trainingTime(hubert, List.of(raw.get(2)), RATE);
        assertArrayEquals(alone[0], enc.embed(raw.get(2), RATE), 0f);
    }

    @Test
    void hubert_otherSampleRate_resampledAsThePreprocessingSays() throws IOException {
        Path file = SpeechEncoderExport.export(hubert.backbone(), TRUNK, "hubert", preprocessing(), provenance("hubert"),
                dir.resolve("hubert-16k.selfsup4j"));
        SpeechEncoder enc = SpeechEncoder.load(file);
        List<float[]> raw16k = audio(16000);
        float[][] expected = trainingTime(hubert, raw16k, 16000);
        float[][] got = enc.embed(raw16k, 16000);
        for (int i = 0; i < raw16k.size(); i++) {
            assertArrayEquals(expected[i], got[i], 0f, "utterance " + i);
        }
    }

    @Test
    void checkpoints_exported_loadedFresh_embedBitIdentically() throws IOException {
        for (SpeechPretrainSetup setup : List.of(hubert, wav2vec2)) {
            Path ckpt = setup == hubert ? hubertCheckpoint : wav2vec2Checkpoint;
            Path file = SpeechEncoderExport.export(ckpt, TRUNK, setup.method(), preprocessing(),
                    EncoderProvenance.fromCheckpoint(CheckpointFormat.read(ckpt), Map.of()),
                    dir.resolve(setup.method() + "-ckpt.selfsup4j"));
            SpeechEncoder enc = SpeechEncoder.load(file);
            assertEquals(setup.method(), enc.family());
            assertEquals(TRUNK, enc.trunk());
            List<float[]> raw = audio(RATE);
            float[][] expected = trainingTime(setup, raw, RATE);
            float[][] got = enc.embed(raw, RATE);
            for (int i = 0; i < raw.size(); i++) {
                assertArrayEquals(expected[i], got[i], 0f, setup.method() + " utterance " + i);
            }
            EncoderProvenance p = EncoderProvenance.fromJson(enc.header().provenance());
            assertEquals(setup.method(), p.method());
            assertEquals("tones", p.dataset());
            assertEquals(2, p.steps());
        }
    }

    @Test
    void checkpoint_exportedByTheRecipeItCarries_embedsAsTheExplicitExport() throws IOException {
        Checkpoint c = CheckpointFormat.read(hubertCheckpoint);
        EncoderHeader recipe = EncoderFile.recipe(c, hubertCheckpoint, EncoderProvenance.fromCheckpoint(c, Map.of()))
                .orElseThrow();
        SpeechEncoder enc = SpeechEncoder.load(SpeechEncoderExport.export(hubertCheckpoint, recipe,
                dir.resolve("hubert-recipe.selfsup4j")));
        assertEquals(TRUNK, enc.trunk());
        assertEquals("hubert", enc.family());
        assertEquals(LAYER, enc.preprocessing().layer());
        List<float[]> raw = audio(RATE);
        float[][] expected = trainingTime(hubert, raw, RATE);
        float[][] got = enc.embed(raw, RATE);
        for (int i = 0; i < raw.size(); i++) {
            assertArrayEquals(expected[i], got[i], 0f, "utterance " + i);
        }
        assertTrue(EncoderFile.recipe(new Checkpoint(c.arrays(), Map.of("step", "2")), hubertCheckpoint,
                EncoderProvenance.fromCheckpoint(c, Map.of())).isEmpty(), "a checkpoint without a recipe has none");
    }

    @Test
    void load_header_roundTripsTrunkAndPreprocessing() throws IOException {
        Path file = SpeechEncoderExport.export(wav2vec2.backbone(), TRUNK, "wav2vec-2", preprocessing(),
                provenance("wav2vec2"), dir.resolve("rt.selfsup4j"));
        SpeechEncoder enc = SpeechEncoder.load(file);
        assertEquals("wav2vec2", enc.family());
        assertEquals(TRUNK, enc.trunk());
        assertEquals(preprocessing(), enc.preprocessing());
        assertEquals(EncoderHeader.SPEECH, enc.header().modality());
    }

    @Test
    void load_imageEncoderOrTrainingCheckpoint_refusedWithTypedException() throws IOException {
        assertThrows(CorruptEncoderFileException.class, () -> SpeechEncoder.load(hubertCheckpoint));
        Path file = SpeechEncoderExport.export(hubert.backbone(), TRUNK, "hubert", preprocessing(), provenance("hubert"),
                dir.resolve("modality.selfsup4j"));
        EncoderFile f = EncoderFile.read(file);
        Path image = dir.resolve("image.selfsup4j");
        new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, f.header().backbone(), f.header().preprocessing(),
                f.header().provenance()), f.weights(), f.buffers()).write(image);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> SpeechEncoder.load(image));
        assertTrue(e.getMessage().contains(image.toString()) && e.getMessage().contains("modality"), e.getMessage());
    }

    @Test
    void load_layerBeyondTheTrunk_refusedNamingTheField() throws IOException {
        Path file = SpeechEncoderExport.export(hubert.backbone(), TRUNK, "hubert", preprocessing(), provenance("hubert"),
                dir.resolve("layer.selfsup4j"));
        EncoderFile f = EncoderFile.read(file);
        var pre = f.header().preprocessing();
        pre.put("layer", TRUNK.numLayers() + 1);
        Path bad = dir.resolve("bad-layer.selfsup4j");
        new EncoderFile(new EncoderHeader(EncoderHeader.SPEECH, f.header().backbone(), pre, f.header().provenance()),
                f.weights(), f.buffers()).write(bad);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> SpeechEncoder.load(bad));
        assertTrue(e.getMessage().contains("preprocessing.layer"), e.getMessage());
    }

    @Test
    void load_bitFlipped_refusedWithTypedException() throws IOException {
        Path file = SpeechEncoderExport.export(hubert.backbone(), TRUNK, "hubert", preprocessing(), provenance("hubert"),
                dir.resolve("flip.selfsup4j"));
        byte[] b = Files.readAllBytes(file);
        b[b.length - 100] ^= 0x10;
        Path flipped = dir.resolve("flipped.selfsup4j");
        Files.write(flipped, b);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class,
                () -> SpeechEncoder.load(flipped));
        assertTrue(e.getMessage().contains(flipped.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(Arrays.equals(b, Files.readAllBytes(flipped)));
    }

    @Test
    void exportFromCheckpoint_otherTrunk_throwsNamingTheCheckpoint() {
        Wav2Vec2Config other = TRUNK.withMaskProb(0.5);
        Wav2Vec2Config wider = new Wav2Vec2Config(new int[] {8, 32}, other.convKernels(), other.convStrides(),
                other.modelDim(), other.numLayers(), other.numHeads(), other.ffnDim(), other.posConvKernel(),
                other.posConvGroups(), other.maskProb(), other.maskLength(), other.minMasks(), other.codebookGroups(),
                other.codebookEntries(), other.codevectorDim(), other.finalDim(), other.maxTemperature(),
                other.minTemperature(), other.temperatureDecay(), other.numDistractors(), other.featureGradMult(),
                other.logitTemperature(), other.diversityWeight(), other.featurePenaltyWeight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpeechEncoderExport.export(
                hubertCheckpoint, wider, "hubert", preprocessing(), provenance("hubert"), dir.resolve("x.selfsup4j")));
        assertTrue(e.getMessage().contains(hubertCheckpoint.toString()), e.getMessage());
    }
}
