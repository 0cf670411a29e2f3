package org.selfsup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.examples.RunFolder;
import org.selfsup4j.examples.TinyImages;
import org.selfsup4j.speech.eval.LayerEmbeddings;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.SampleEncoding;
import org.selfsup4j.speech.io.WavWriter;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.pretrained.SpeechEncoder;
import org.selfsup4j.speech.pretrained.SpeechEncoderExport;
import org.selfsup4j.speech.pretrained.SpeechPreprocessing;
import org.selfsup4j.vision.pretrained.ImageEncoder;

/**
 * From a pretraining run to the encoder tools, through the program as a user runs it: one tiny epoch
 * of {@code pretrain} on a labelled folder, then {@code inspect} of its encoder file and checkpoint,
 * {@code export} of the checkpoint (embeddings bit-identical to the run's own encoder file),
 * {@code embed} to CSV and {@code .npy} (read back: names, rows, values of the library's encoder), and
 * {@code evaluate} (both probes, in [0, 1]); and {@code embed} of WAVs with a speech encoder file.
 */
class EncoderToolsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static Path encoderFile;

    @BeforeAll
    static void pretrain() throws Exception {
        data = TinyImages.write(tmp.resolve("images"), 3, 10, 16, 5);
        run = tmp.resolve("run");
        CliRun r = CliRun.of("pretrain", "--data", data.toString(), "--epochs", "1", "--batch-size", "8", "--width",
                "4", "--out", run.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        encoderFile = run.resolve(EncoderFile.DEFAULT_FILE_NAME);
        assertTrue(Files.isRegularFile(encoderFile), r.out());
    }

    private static List<Path> images() throws Exception {
        try (Stream<Path> s = Files.walk(data)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    private static Path newestCheckpoint() {
        List<Path> all = new CheckpointStore(run.resolve(RunFolder.CHECKPOINTS), 1).list();
        assertTrue(!all.isEmpty(), "the run wrote checkpoints");
        return all.get(all.size() - 1);
    }

    @Test
    void inspect_encoderFileAndCheckpoint_printTheirHeaders() throws Exception {
        CliRun text = CliRun.of("inspect", encoderFile.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("encoder file") && text.out().contains("modality         image"), text.out());

        JsonNode enc = JSON.readTree(CliRun.of("inspect", encoderFile.toString(), "--json").out());
        assertEquals("image", enc.get("modality").asText());
        assertEquals("simclr", enc.get("method").asText());
        assertEquals(3, enc.get("backbone").get("inChannels").asInt());
        assertEquals(16, enc.get("preprocessing").get("imageSize").asInt());
        assertTrue(enc.get("tensor_count").asInt() > 0 && enc.get("tensors").get(0).get("shape").isArray());

        Map<String, Object> runJson = ResultsFile.read(run.resolve(RunFolder.RUN_FILE));
        JsonNode ckpt = JSON.readTree(CliRun.of("inspect", newestCheckpoint().toString(), "--json").out());
        assertEquals("training checkpoint", ckpt.get("kind").asText());
        assertEquals(runJson.get("run_id"), ckpt.get("run_id").asText());
        assertEquals("simclr", ckpt.get("method").asText());
        assertEquals(enc.get("step").asLong(), ckpt.get("step").asLong(), "the last checkpoint is of the final step");
        assertTrue(ckpt.get("tensor_count").asInt() > enc.get("tensor_count").asInt(),
                "a checkpoint holds the optimizer state and head besides the backbone");
    }

    @Test
    void export_fromCheckpointOrRunFolder_embedsBitIdenticallyToTheRunsEncoder() throws Exception {
        List<Path> files = images();
        float[][] expected = ImageEncoder.load(encoderFile).embedFiles(files);
        for (String source : List.of(newestCheckpoint().toString(), run.toString())) {
            Path out = tmp.resolve("exported-" + Math.abs(source.hashCode()) + ".selfsup4j");
            CliRun r = CliRun.of("export", source, "--out", out.toString());
            assertEquals(0, r.code(), r.err());
            ImageEncoder exported = ImageEncoder.load(out);
            float[][] got = exported.embedFiles(files);
            for (int i = 0; i < files.size(); i++) {
                assertArrayEquals(expected[i], got[i], 0f, "row " + i + " of the export of " + source);
            }
            assertEquals(EncoderProvenance.fromJson(ImageEncoder.load(encoderFile).header().provenance()).probes(),
                    EncoderProvenance.fromJson(exported.header().provenance()).probes(),
                    "the final checkpoint keeps the run's probe scores");
        }
    }

    @Test
    void export_ofAKilledRun_byTheRecipeItsCheckpointCarries_matchesTheFinishedRun() throws Exception {
        // a run killed before its end: checkpoints, no encoder file
        Path killed = Files.createDirectories(tmp.resolve("killed").resolve(RunFolder.CHECKPOINTS));
        Path ckpt = Files.copy(newestCheckpoint(), killed.resolve(newestCheckpoint().getFileName()));
        Path out = tmp.resolve("killed-export.selfsup4j");
        CliRun r = CliRun.of("export", killed.getParent().toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertSameEmbeddings(out);

        // a checkpoint from before checkpoints carried the recipe needs --like
        Checkpoint c = CheckpointFormat.read(ckpt);
        Map<String, String> older = new LinkedHashMap<>(c.metadata());
        older.keySet().removeIf(k -> k.startsWith(EncoderFile.RECIPE_PREFIX));
        CheckpointFormat.write(ckpt, new Checkpoint(c.arrays(), older));
        Selfsup4jProgramTest.assertOneLineError(3, "--like", CliRun.of("export", ckpt.toString(), "--out",
                out.toString()));
        r = CliRun.of("export", killed.getParent().toString(), "--like", encoderFile.toString(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertSameEmbeddings(out);
    }

    private void assertSameEmbeddings(Path exported) throws Exception {
        List<Path> files = images();
        float[][] expected = ImageEncoder.load(encoderFile).embedFiles(files);
        float[][] got = ImageEncoder.load(exported).embedFiles(files);
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(expected[i], got[i], 0f, "row " + i + " of " + exported);
        }
    }

    @Test
    void embed_toCsvAndNpy_rowsAreTheLibrarysEmbeddingsOfTheNamedFiles() throws Exception {
        List<Path> files = images();
        ImageEncoder enc = ImageEncoder.load(encoderFile);
        int dim = enc.featureDim();
        Path csv = tmp.resolve("out/embeddings.csv");
        CliRun r = CliRun.of("embed", "--encoder", encoderFile.toString(), data.toString(), "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(files.size() + 1, lines.size());
        String[] header = lines.get(0).split(",");
        assertEquals(dim + 1, header.length);
        assertEquals("file", header[0]);
        assertEquals("e" + (dim - 1), header[dim]);

        Path npy = tmp.resolve("out/embeddings.npy");
        assertEquals(0, CliRun.of("embed", "--encoder", encoderFile.toString(), data.toString(), "--out",
                npy.toString()).code());
        float[][] array = readNpy(npy, files.size(), dim);
        List<String> names = Files.readAllLines(npy.resolveSibling("embeddings.npy.files.txt"));

        for (int i = 0; i < files.size(); i++) {
            String name = data.relativize(files.get(i)).toString().replace('\\', '/');
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(name, cells[0], "CSV rows follow the relative names");
            assertEquals(name, names.get(i), "the names file lists the .npy's rows");
            float[] fromCsv = new float[dim];
            for (int j = 0; j < dim; j++) {
                fromCsv[j] = Float.parseFloat(cells[j + 1]);
            }
            float[] single = enc.embed(files.get(i));
            assertArrayEquals(single, fromCsv, 0f, "CSV row " + name);
            assertArrayEquals(fromCsv, array[i], 0f, "the .npy holds the CSV's floats, " + name);
        }
        // one file alone: its name, one row
        Path one = tmp.resolve("out/one.csv");
        assertEquals(0, CliRun.of("embed", "--encoder", encoderFile.toString(), files.get(0).toString(), "--out",
                one.toString()).code());
        List<String> oneLines = Files.readAllLines(one);
        assertEquals(2, oneLines.size());
        assertTrue(oneLines.get(1).startsWith(files.get(0).getFileName() + ","), oneLines.get(1));
    }

    /** Reads a float32 C-order .npy, checking the NumPy 1.0 preamble byte by byte as numpy.load would. */
    private static float[][] readNpy(Path file, int rows, int dim) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, magic);
        int headerLen = Short.toUnsignedInt(b.getShort());
        assertEquals(0, (10 + headerLen) % 64, "the data starts 64-byte aligned");
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dim + "), }"),
                header);
        assertTrue(header.endsWith("\n"), header);
        assertEquals((long) rows * dim * 4, b.remaining(), "rows x dim float32 values follow the header");
        float[][] out = new float[rows][dim];
        for (float[] row : out) {
            for (int j = 0; j < dim; j++) {
                row[j] = b.getFloat();
            }
        }
        return out;
    }

    @Test
    void evaluate_splitOrEvalData_printsAndWritesBothProbes() throws Exception {
        Path json = tmp.resolve("eval/results.json");
        CliRun r = CliRun.of("evaluate", "--encoder", encoderFile.toString(), "--data", data.toString(), "--seed", "3",
                "--out", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kNN ") && r.out().contains("linear "), r.out());
        Map<String, Object> res = ResultsFile.read(json);
        for (String k : List.of("knn_top1", "linear_top1")) {
            double v = ((Number) res.get(k)).doubleValue();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        assertEquals(24, ((Number) res.get("train_files")).intValue(), "80% of each class of 10 trains");
        assertEquals(6, ((Number) res.get("eval_files")).intValue(), "a stratified 20%: 2 of each class");

        CliRun withEval = CliRun.of("evaluate", "--encoder", encoderFile.toString(), "--data", data.toString(),
                "--eval-data", data.toString());
        assertEquals(0, withEval.code(), withEval.err());
        assertTrue(withEval.out().contains("30 training / 30 test files, 3 classes"), withEval.out());
    }

    @Test
    void embed_wavsWithASpeechEncoder_rowsAreTheLibrarysBatchedEmbeddings() throws Exception {
        Wav2Vec2Config trunk = Wav2Vec2Config.tiny();
        SpeechBackbone random = new SpeechBackbone(trunk, DataType.FLOAT, new SplittableRandom(1));
        Path enc = SpeechEncoderExport.export(random, trunk, "hubert", SpeechPreprocessing.of(8000, 1,
                new LayerEmbeddings(4, 1600, 400)), EncoderProvenance.of("hubert", "tones", 0, 1, Map.of()),
                tmp.resolve("speech.selfsup4j"));
        Path wavs = Files.createDirectories(tmp.resolve("wavs"));
        SplittableRandom rng = new SplittableRandom(2);
        List<float[]> waves = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] x = new float[600 + 200 * i];
            for (int t = 0; t < x.length; t++) {
                x[t] = (float) (0.5 * Math.sin(t * (0.05 + 0.03 * i)) + 0.05 * rng.nextGaussian());
            }
            Path f = wavs.resolve("tone" + i + ".wav");
            new WavWriter(SampleEncoding.FLOAT_32).write(f, Audio.mono(x, 8000));
            waves.add(x);
        }
        Path csv = tmp.resolve("speech.csv");
        CliRun r = CliRun.of("embed", "--encoder", enc.toString(), wavs.toString(), "--out", csv.toString());
        assertEquals(0, r.code(), r.err());
        float[][] expected = SpeechEncoder.load(enc).embed(waves, 8000);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size());
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals("tone" + i + ".wav", cells[0]);
            assertEquals(trunk.modelDim(), cells.length - 1);
            for (int j = 0; j < trunk.modelDim(); j++) {
                assertEquals(expected[i][j], Float.parseFloat(cells[j + 1]), 0f, "tone" + i + " e" + j);
            }
        }
        // an image folder has no WAVs for this encoder: one sentence naming the folder
        Selfsup4jProgramTest.assertOneLineError(3, data.toString(), CliRun.of("embed", "--encoder", enc.toString(),
                data.toString(), "--out", tmp.resolve("none.csv").toString()));
    }
}
