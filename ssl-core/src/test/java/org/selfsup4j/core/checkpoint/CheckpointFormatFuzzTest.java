package org.selfsup4j.core.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fuzz harness of {@link CheckpointFormat#read}: any file either reads or raises
 * {@link CorruptCheckpointException}, the reader's documented exception for a readable file that
 * cannot be trusted. Anything else (a plain {@link IOException}, another exception, an
 * {@link OutOfMemoryError}, more than {@link #MAX_MILLIS_PER_INPUT} ms on one input) is a finding. The pretrained-encoder
 * file, the same container with a header of its own, has its harness in {@link EncoderFileFuzzTest}.
 *
 * <p>Input layout: byte 0 is a flag, the rest is the file. With the flag's low bit set the harness
 * rewrites the last 8 bytes as a correct CRC32C and end marker before reading, so that mutations
 * reach the header and array-table checks behind the checksum (random bytes almost never pass it).
 * Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/core/checkpoint/CheckpointFormatFuzzTestInputs/read/}.
 */
class CheckpointFormatFuzzTest {
    /** An input slower than this is a finding (a hang, or work out of proportion to the input). */
    static final long MAX_MILLIS_PER_INPUT = 2000;
    private static Path file;

    @BeforeAll
    static void warmUp() throws IOException {
        // ND4J's native backend loads in seconds: outside the 2 s limit of the first input.
        Nd4j.create(1);
        file = Files.createTempFile("selfsup4j-fuzz-", ".ckpt");
        file.toFile().deleteOnExit();
    }

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void read(byte[] data) {
        readAs(data, file, CheckpointFormat::read, CorruptCheckpointException.class);
    }

    /** A reader of a container file, as the harnesses of this package call it. */
    interface FileReader {
        /**
         * @param file the file
         * @throws IOException the reader's refusal or an I/O failure
         */
        void read(Path file) throws IOException;
    }

    /**
     * The shared body of the container harnesses: byte 0 of {@code data} is the flag, the rest goes
     * to {@code file} (its trailer recomputed when the flag's low bit is set) and is read; only
     * {@code refusal} may be thrown, and one input may take at most {@link #MAX_MILLIS_PER_INPUT} ms.
     */
    static void readAs(byte[] data, Path file, FileReader reader, Class<? extends IOException> refusal) {
        long start = System.nanoTime();
        if (data.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(data, 1, data.length);
        if ((data[0] & 1) == 1) {
            fixTrailer(bytes);
        }
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            reader.read(file);
        } catch (IOException e) {
            if (!refusal.isInstance(e)) {
                throw new AssertionError("a readable file must be read or refused with " + refusal.getSimpleName()
                        + ", got " + e, e);
            }
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // A per-input limit of our own: JUnit's @Timeout would time the whole fuzzing run as one call.
        if (ms > MAX_MILLIS_PER_INPUT) {
            throw new AssertionError("one input took " + ms + " ms, more than " + MAX_MILLIS_PER_INPUT);
        }
    }

    /** Writes the CRC32C of everything before the trailer, and the end marker, into the last 8 bytes. */
    static void fixTrailer(byte[] bytes) {
        int t = bytes.length - CheckpointFormat.TRAILER_BYTES;
        if (t < 0) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, t);
        ByteBuffer.wrap(bytes, t, CheckpointFormat.TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt((int) crc.getValue()).put(CheckpointFormat.END_MARKER);
    }

    /** Where this harness's committed inputs live, relative to the module (surefire's working directory). */
    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/core/checkpoint/CheckpointFormatFuzzTestInputs/read");

    /**
     * Regenerates the valid seed inputs: {@code mvn test -Dtest=CheckpointFormatFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "selfsup4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        Files.createDirectories(INPUTS);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(INPUTS.resolve(e.getKey()), e.getValue());
        }
    }

    @Test
    void committedSeeds_areTheValidSamples() throws Exception {
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Path p = INPUTS.resolve(e.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(p), "missing seed " + p);
            read(Files.readAllBytes(p));
            byte[] b = Files.readAllBytes(p);
            Files.write(file, java.util.Arrays.copyOfRange(b, 1, b.length));
            CheckpointFormat.read(file);
        }
    }

    /**
     * Small valid checkpoints (float, int, bool and empty arrays, metadata), with the flag byte 0
     * (read as is) or 1 (trailer recomputed).
     */
    static Map<String, byte[]> seeds() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        arrays.put("step", Nd4j.createFromArray(new int[] {7, 8}));
        arrays.put("mask", Nd4j.createFromArray(new boolean[] {true, false}));
        arrays.put("empty", Nd4j.create(DataType.DOUBLE, 0));
        Path tmp = Files.createTempFile("seed-", ".ckpt");
        try {
            CheckpointFormat.write(tmp, new Checkpoint(arrays, Map.of("step", "10")));
            byte[] ckpt = Files.readAllBytes(tmp);
            CheckpointFormat.write(tmp, new Checkpoint(Map.of(), Map.of()));
            byte[] empty = Files.readAllBytes(tmp);
            m.put("arrays-flag0.bin", flagged(0, ckpt));
            m.put("arrays-flag1.bin", flagged(1, ckpt));
            m.put("empty-flag1.bin", flagged(1, empty));
        } finally {
            Files.deleteIfExists(tmp);
        }
        return m;
    }

    private static byte[] flagged(int flag, byte[] file) {
        byte[] out = new byte[file.length + 1];
        out[0] = (byte) flag;
        System.arraycopy(file, 0, out, 1, file.length);
        return out;
    }
}
