package org.selfsup4j.core.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;
import org.selfsup4j.core.nn.Parameter;

class EncoderFileTest {
    @TempDir
    Path dir;

    static ObjectNode json(String k, Object v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putPOJO(k, v);
        return o;
    }

    static EncoderProvenance provenance() {
        Map<String, Double> probes = new LinkedHashMap<>();
        probes.put("knn_top1", 0.506);
        probes.put("linear_top1", 0.864);
        return new EncoderProvenance("simclr", "synthetic-shapes/train", 248, 42, "0.1.0", "abc123", probes,
                Map.of("java", "17"));
    }

    static EncoderFile sample() {
        ObjectNode backbone = JsonNodeFactory.instance.objectNode().put("kind", "CONVNET").put("width", 32);
        backbone.putArray("widths").add(1).add(2);
        ObjectNode pre = JsonNodeFactory.instance.objectNode().put("imageSize", 32);
        pre.putArray("mean").add(0.4914f).add(0.4822f).add(0.4465f);
        Map<String, INDArray> w = new LinkedHashMap<>();
        w.put("0.conv.weight", Nd4j.rand(DataType.FLOAT, 4, 3, 3, 3));
        w.put("0.bn.gamma", Nd4j.rand(DataType.FLOAT, 4));
        Map<String, INDArray> b = Map.of("0.bn.runningMean", Nd4j.rand(DataType.FLOAT, 4));
        return new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, backbone, pre, provenance().toJson()), w, b);
    }

    @Test
    void writeRead_roundTripsEveryHeaderFieldAndArray() throws IOException {
        EncoderFile f = sample();
        Path file = dir.resolve("e.selfsup4j");
        f.write(file);
        EncoderFile g = EncoderFile.read(file);
        assertEquals(f.header().modality(), g.header().modality());
        // As text: a float or long written is read back as a double or int node of the same decimal.
        assertEquals(f.header().backbone().toString(), g.header().backbone().toString());
        assertEquals(f.header().preprocessing().toString(), g.header().preprocessing().toString());
        assertEquals(f.header().provenance().toString(), g.header().provenance().toString());
        assertEquals(0.4822f, g.header().preprocessing().get("mean").get(1).floatValue());
        assertEquals(provenance(), EncoderProvenance.fromJson(g.header().provenance()));
        assertEquals(List.copyOf(f.weights().keySet()), List.copyOf(g.weights().keySet()));
        for (String k : f.weights().keySet()) {
            assertEquals(f.weights().get(k), g.weights().get(k), k);
        }
        assertEquals(f.buffers().keySet(), g.buffers().keySet());
        assertEquals(f.buffers().get("0.bn.runningMean"), g.buffers().get("0.bn.runningMean"));
    }

    @Test
    void write_isTheCheckpointContainer_namedAsAnEncoder() throws IOException {
        Path file = dir.resolve("e.selfsup4j");
        sample().write(file);
        Checkpoint c = CheckpointFormat.read(file);
        assertEquals(EncoderFile.FORMAT_NAME, c.metadata().get("format"));
        assertEquals("1", c.metadata().get("encoderVersion"));
        assertTrue(c.arrays().containsKey("weight/0.conv.weight"));
        assertTrue(c.arrays().containsKey("buffer/0.bn.runningMean"));
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left");
    }

    @Test
    void read_truncatedOrBitFlipped_refusedNamingTheFile() throws IOException {
        Path file = dir.resolve("e.selfsup4j");
        sample().write(file);
        byte[] bytes = Files.readAllBytes(file);
        for (int cut : new int[] {0, 10, bytes.length / 2, bytes.length - 1}) {
            Path t = dir.resolve("cut-" + cut);
            Files.write(t, Arrays.copyOf(bytes, cut));
            CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> EncoderFile.read(t));
            assertTrue(e.getMessage().startsWith("Corrupt encoder file " + t + ": "), e.getMessage());
            assertInstanceOf(CorruptCheckpointException.class, e);
        }
        for (int at : new int[] {5, 40, bytes.length - 20}) {
            byte[] b = bytes.clone();
            b[at] ^= 1;
            Path t = dir.resolve("flip-" + at);
            Files.write(t, b);
            assertThrows(CorruptEncoderFileException.class, () -> EncoderFile.read(t), "flip at " + at);
        }
    }

    @Test
    void read_trainingCheckpoint_refusedNamingTheFormatField() throws IOException {
        Path file = dir.resolve("step-1.ckpt");
        CheckpointFormat.write(file, new Checkpoint(Map.of("param/encoder.w", Nd4j.ones(2)), Map.of("step", "1")));
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> EncoderFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'format'"), e.getMessage());
    }

    /** An encoder container with one metadata field replaced (or removed when {@code value} is null). */
    Path withField(String field, String value) throws IOException {
        Path good = dir.resolve("good.selfsup4j");
        sample().write(good);
        Checkpoint c = CheckpointFormat.read(good);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        if (value == null) {
            meta.remove(field);
        } else {
            meta.put(field, value);
        }
        Path bad = dir.resolve("bad-" + field + ".selfsup4j");
        CheckpointFormat.write(bad, new Checkpoint(c.arrays(), meta));
        return bad;
    }

    @Test
    void read_malformedFields_refusedNamingFileAndField() throws IOException {
        Object[][] cases = {
                {"encoderVersion", "2", "encoderVersion"},
                {"modality", "video", "modality"},
                {"modality", null, "modality"},
                {"backbone", "[1, 2]", "backbone"},
                {"backbone", "{\"a\":1,\"a\":2}", "backbone"},
                {"preprocessing", "not json", "preprocessing"},
                {"preprocessing", null, "preprocessing"},
                {"provenance", "{\"method\":\"simclr\"}", "provenance"},
        };
        for (Object[] c : cases) {
            Path bad = withField((String) c[0], (String) c[1]);
            CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> EncoderFile.read(bad),
                    Arrays.toString(c));
            assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("'" + c[2] + "'"),
                    e.getMessage());
        }
    }

    @Test
    void read_arrayOutsideWeightsAndBuffers_refused() throws IOException {
        Path good = dir.resolve("good.selfsup4j");
        sample().write(good);
        Checkpoint c = CheckpointFormat.read(good);
        Map<String, INDArray> arrays = new LinkedHashMap<>(c.arrays());
        arrays.put("optimizer/m", Nd4j.ones(2));
        Path bad = dir.resolve("extra.selfsup4j");
        CheckpointFormat.write(bad, new Checkpoint(arrays, c.metadata()));
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> EncoderFile.read(bad));
        assertTrue(e.getMessage().contains("optimizer/m"), e.getMessage());
    }

    @Test
    void assign_missingExtraOrMisshapen_refusedNamingTheArray() throws IOException {
        Path f = Path.of("x.selfsup4j");
        Map<String, INDArray> live = EncoderArrays.live("", List.of(new Parameter("w", Nd4j.zeros(DataType.FLOAT, 2, 3),
                true)));
        assertThrows(CorruptEncoderFileException.class, () -> EncoderArrays.assign(f, "weight", Map.of(), live));
        assertThrows(CorruptEncoderFileException.class, () -> EncoderArrays.assign(f, "weight",
                Map.of("w", Nd4j.ones(DataType.FLOAT, 3, 2)), live));
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> EncoderArrays.assign(f,
                "weight", Map.of("w", Nd4j.ones(DataType.FLOAT, 2, 3), "v", Nd4j.ones(1)), live));
        assertTrue(e.getMessage().contains("'v'"), e.getMessage());
        EncoderArrays.assign(f, "weight", Map.of("w", Nd4j.ones(DataType.FLOAT, 2, 3)), live);
        assertArrayEquals(new float[] {1, 1, 1}, live.get("w").getRow(0).toFloatVector());
    }

    @Test
    void provenance_commit_fromPropertyElseUnknown() {
        String old = System.getProperty(EncoderProvenance.COMMIT_PROPERTY);
        try {
            System.setProperty(EncoderProvenance.COMMIT_PROPERTY, "0123abc");
            assertEquals("0123abc", EncoderProvenance.of("simclr", "d", 1, 2, Map.of()).commit());
            System.clearProperty(EncoderProvenance.COMMIT_PROPERTY);
            String env = System.getenv(EncoderProvenance.COMMIT_ENV);
            assertEquals(env == null || env.isBlank() ? EncoderProvenance.UNKNOWN : env.trim(),
                    EncoderProvenance.currentCommit());
        } finally {
            if (old == null) {
                System.clearProperty(EncoderProvenance.COMMIT_PROPERTY);
            } else {
                System.setProperty(EncoderProvenance.COMMIT_PROPERTY, old);
            }
        }
    }

    @Test
    void header_isImmutable() {
        EncoderHeader h = sample().header();
        h.backbone().put("width", 64);
        assertEquals(32, h.backbone().get("width").intValue());
        assertThrows(IllegalArgumentException.class, () -> new EncoderHeader("video", json("a", 1), json("a", 1),
                json("a", 1)));
    }
}
