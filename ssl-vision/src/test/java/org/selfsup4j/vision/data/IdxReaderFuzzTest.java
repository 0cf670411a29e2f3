package org.selfsup4j.vision.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz harness of {@link IdxReader}: any bytes, raw or gzip, read as an image file and as a label
 * file either succeed or raise {@link IOException}, the reader's documented exception. Anything else
 * (another exception, an {@link OutOfMemoryError}, more than {@link FuzzFiles#MAX_MILLIS_PER_INPUT} ms on one input) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/vision/data/IdxReaderFuzzTestInputs/readImagesAndLabels/}.
 */
class IdxReaderFuzzTest {
    private static final Path FILE = FuzzFiles.temp(".idx");

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void readImagesAndLabels(byte[] data) {
        long start = System.nanoTime();
        Path f = FuzzFiles.write(FILE, data);
        try {
            IdxReader.readImages(f);
        } catch (IOException expected) {
            // The documented refusal.
        }
        try {
            IdxReader.readLabels(f);
        } catch (IOException expected) {
            // The documented refusal.
        }
        FuzzFiles.checkTime(start);
    }

    /** Where this harness's committed inputs live, relative to the module (surefire's working directory). */
    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/vision/data/IdxReaderFuzzTestInputs/readImagesAndLabels");

    /**
     * Regenerates the valid seed inputs: {@code mvn test -Dtest=IdxReaderFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "selfsup4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        FuzzFiles.writeSeeds(INPUTS, seeds());
    }

    @Test
    void committedSeeds_areTheValidSamples() throws Exception {
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Path p = INPUTS.resolve(e.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(p), "missing seed " + p);
            if (e.getKey().startsWith("images")) {
                IdxReader.readImages(p);
            } else {
                IdxReader.readLabels(p);
            }
        }
    }

    /** Small valid IDX files: images and labels, raw and gzip. */
    static Map<String, byte[]> seeds() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] images = IdxAndCifarReaderTest.idx(3, new int[] {2, 3, 2}, new byte[] {0, 10, 20, 30, 40, 50,
            (byte) 255, (byte) 128, 1, 2, 3, 4});
        byte[] labels = IdxAndCifarReaderTest.idx(1, new int[] {3}, new byte[] {0, 7, 9});
        m.put("images-idx3-ubyte", images);
        m.put("labels-idx1-ubyte", labels);
        m.put("images-idx3-ubyte.gz", gzip(images));
        m.put("labels-idx1-ubyte.gz", gzip(labels));
        return m;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(b);
        }
        return bos.toByteArray();
    }
}
