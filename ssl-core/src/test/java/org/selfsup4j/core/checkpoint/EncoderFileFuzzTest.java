package org.selfsup4j.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;

/**
 * Fuzz harness of {@link EncoderFile#read}, the reader of the pretrained-encoder files users load:
 * any file either reads or raises {@link CorruptEncoderFileException}. Anything else (a plain
 * {@link IOException}, an {@link IllegalArgumentException} from a header value, another exception,
 * an {@link OutOfMemoryError}, more than {@link CheckpointFormatFuzzTest#MAX_MILLIS_PER_INPUT} ms on
 * one input) is a finding.
 *
 * <p>It lives beside {@link CheckpointFormatFuzzTest} because an encoder file is that container and
 * shares its input layout: byte 0 is a flag, the rest the file; with the flag's low bit set the
 * trailer's CRC32C is recomputed, so that mutations reach the header checks behind the checksum.
 * Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/core/checkpoint/EncoderFileFuzzTestInputs/read/}.
 */
class EncoderFileFuzzTest {
    private static Path file;

    @BeforeAll
    static void warmUp() throws IOException {
        Nd4j.create(1);
        file = Files.createTempFile("selfsup4j-fuzz-", ".selfsup4j");
        file.toFile().deleteOnExit();
    }

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void read(byte[] data) {
        CheckpointFormatFuzzTest.readAs(data, file, EncoderFile::read, CorruptEncoderFileException.class);
    }

    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/core/checkpoint/EncoderFileFuzzTestInputs/read");

    /** Regenerates the valid seeds: {@code mvn test -Dtest=EncoderFileFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}. */
    @Test
    @EnabledIfSystemProperty(named = "selfsup4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Files.createDirectories(INPUTS);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(INPUTS.resolve(e.getKey()), e.getValue());
        }
    }

    @Test
    void committedSeeds_areValidEncoderFiles() throws Exception {
        for (String name : seeds().keySet()) {
            Path p = INPUTS.resolve(name);
            assertTrue(Files.isRegularFile(p), "missing seed " + p);
            byte[] b = Files.readAllBytes(p);
            read(b);
            Files.write(file, Arrays.copyOfRange(b, 1, b.length));
            EncoderFile.read(file);
        }
    }

    /** A small valid image encoder file, read as is (flag 0) and with the trailer recomputed (flag 1). */
    static Map<String, byte[]> seeds() throws IOException {
        ObjectNode backbone = JsonNodeFactory.instance.objectNode().put("kind", "CONVNET").put("width", 4);
        ObjectNode pre = JsonNodeFactory.instance.objectNode().put("imageSize", 8);
        pre.putArray("mean").add(0.5f);
        Map<String, INDArray> w = new LinkedHashMap<>();
        w.put("0.weight", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
        Map<String, INDArray> b = Map.of("1.running_mean", Nd4j.createFromArray(new float[] {0.5f}));
        EncoderProvenance prov = new EncoderProvenance("simclr", "d", 2, 1, "0.1.0", "unknown",
                Map.of("knn_top1", 0.5), Map.of("java", "17"));
        EncoderFile f = new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, backbone, pre, prov.toJson()), w, b);
        Path tmp = Files.createTempFile("seed-", ".selfsup4j");
        try {
            f.write(tmp);
            byte[] bytes = Files.readAllBytes(tmp);
            Map<String, byte[]> m = new LinkedHashMap<>();
            m.put("image-flag0.bin", flagged(0, bytes));
            m.put("image-flag1.bin", flagged(1, bytes));
            return m;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] flagged(int flag, byte[] file) {
        byte[] out = new byte[file.length + 1];
        out[0] = (byte) flag;
        System.arraycopy(file, 0, out, 1, file.length);
        return out;
    }
}
