package org.selfsup4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.speech.eval.LayerEmbeddings;
import org.selfsup4j.speech.methods.LayerTargets;
import org.selfsup4j.speech.methods.SpeechMethodConfig;
import org.selfsup4j.speech.methods.SpeechPretrainSetup;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.cluster.KMeansModel;
import org.selfsup4j.speech.pretrained.SpeechEncoderExport;
import org.selfsup4j.speech.pretrained.SpeechPreprocessing;
import picocli.CommandLine;

/** HuBERT iteration 2 from the command line: the targets are k-means of the given encoder's layer. */
class SpeechIteration2Test {
    private static List<float[]> audio() {
        SplittableRandom rng = new SplittableRandom(3);
        List<float[]> xs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            float[] x = new float[900 + rng.nextInt(400)];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (Math.sin(j * (0.05 + 0.02 * (i % 3))) + 0.1 * rng.nextGaussian());
            }
            xs.add(x);
        }
        return xs;
    }

    /** A tiny iteration-1 trunk with random weights, saved as a run folder's encoder file. */
    private static SpeechBackbone teacher(Path runFolder) throws Exception {
        Files.createDirectories(runFolder);
        SpeechBackbone b = new SpeechBackbone(Wav2Vec2Config.tiny(), DataType.FLOAT, new SplittableRandom(17));
        SpeechEncoderExport.export(b, Wav2Vec2Config.tiny(), "hubert", SpeechPreprocessing.of(8000, 2,
                new LayerEmbeddings(4, 1600, 8)), EncoderProvenance.of("hubert", "test", 10, 0, Map.of()),
                runFolder.resolve(EncoderFile.DEFAULT_FILE_NAME));
        return b;
    }

    private static SpeechPretrainExample example(Path run, String... more) {
        List<String> args = new ArrayList<>(List.of("--method", "hubert", "--targets-from", run.toString(),
                "--samples", "800", "--clusters", "4", "--data", run.toString()));
        args.addAll(List.of(more));
        SpeechPretrainExample ex = new SpeechPretrainExample();
        new CommandLine(ex).parseArgs(args.toArray(String[]::new));
        ex.validate();
        ex.out = run.getParent().resolve("out");
        return ex;
    }

    private static SpeechMethodConfig config(List<float[]> audio) {
        return new SpeechMethodConfig(Wav2Vec2Config.tiny(), DataType.FLOAT, 0, WarmupCosineSchedule.toZero(1e-3, 1, 2),
                4, audio, 8000, 800);
    }

    @Test
    void targetsFrom_clustersTheGivenLayerOfTheEncoderFile(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("iteration1");
        SpeechBackbone b = teacher(run);
        List<float[]> audio = audio();
        SpeechPretrainExample ex = example(run, "--target-layer", "1");
        Function<INDArray, INDArray> layer = ex.teacherLayer();
        INDArray w = Nd4j.rand(DataType.FLOAT, 2, 800);
        assertEquals(b.layerOutput(w, 1), layer.apply(w), "the loaded file's layer 1 is the teacher's layer 1");

        Files.createDirectories(ex.out);
        SpeechPretrainSetup setup = ex.build(config(audio));
        KMeansModel km = setup.targets().orElseThrow();
        assertEquals(Wav2Vec2Config.tiny().modelDim(), km.dimension(), "units of the layer, not of 39-dim MFCCs");
        KMeansModel expected = LayerTargets.fit(x -> b.layerOutput(x, 1), audio, 800, 4, 0);
        assertEquals(expected.centres(), km.centres());
        KMeansModel otherLayer = LayerTargets.fit(x -> b.layerOutput(x, 2), audio, 800, 4, 0);
        assertNotEquals(otherLayer.centres(), km.centres());
        assertTrue(Files.isRegularFile(ex.out.resolve("kmeans-layer1.ckpt")));
    }

    @Test
    void targetLayer_defaultsToTheEncodersProbedLayer_andIsChecked(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("iteration1");
        SpeechBackbone b = teacher(run);
        INDArray w = Nd4j.rand(DataType.FLOAT, 1, 800);
        assertEquals(b.layerOutput(w, 2), example(run).teacherLayer().apply(w));
        var tooHigh = assertThrows(UserError.class, () -> example(run, "--target-layer", "5").teacherLayer());
        assertTrue(tooHigh.getMessage().contains("[0, 2]"), tooHigh.getMessage());
        var rate = assertThrows(UserError.class, () -> example(run, "--sample-rate", "16000").teacherLayer());
        assertTrue(rate.getMessage().contains("8000 Hz"), rate.getMessage());
        SpeechPretrainExample w2v = new SpeechPretrainExample();
        new CommandLine(w2v).parseArgs("--method", "wav2vec2", "--targets-from", run.toString(), "--data",
                run.toString());
        assertThrows(UserError.class, w2v::validate);
    }
}
