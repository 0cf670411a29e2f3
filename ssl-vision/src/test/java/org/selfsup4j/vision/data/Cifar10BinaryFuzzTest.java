package org.selfsup4j.vision.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz harness of {@link Cifar10Binary}: any bytes either read as records with labels 0..9 or raise
 * {@link IOException}, the reader's documented exception. Anything else (another exception, an
 * {@link OutOfMemoryError}, more than {@link FuzzFiles#MAX_MILLIS_PER_INPUT} ms on one input) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/vision/data/Cifar10BinaryFuzzTestInputs/read/}.
 */
class Cifar10BinaryFuzzTest {
    private static final Path FILE = FuzzFiles.temp(".bin");

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void read(byte[] data) {
        long start = System.nanoTime();
        try {
            LabeledImages d = Cifar10Binary.read("fuzz", List.of(FuzzFiles.write(FILE, data)));
            if (d.size() != data.length / Cifar10Binary.RECORD_BYTES) {
                throw new AssertionError(d.size() + " records from " + data.length + " bytes");
            }
        } catch (IOException expected) {
            // The documented refusal.
        }
        FuzzFiles.checkTime(start);
    }

    /** Where this harness's committed inputs live, relative to the module (surefire's working directory). */
    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/vision/data/Cifar10BinaryFuzzTestInputs/read");

    /**
     * Regenerates the valid seed inputs: {@code mvn test -Dtest=Cifar10BinaryFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}.
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
            Cifar10Binary.read("seed", List.of(p));
        }
    }

    /** Small valid batch files: one record, and two records with labels 0 and 9. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        byte[] one = new byte[Cifar10Binary.RECORD_BYTES];
        one[0] = 3;
        for (int i = 1; i < one.length; i++) {
            one[i] = (byte) (i * 7);
        }
        byte[] two = new byte[2 * Cifar10Binary.RECORD_BYTES];
        two[Cifar10Binary.RECORD_BYTES] = 9;
        two[1] = (byte) 255;
        m.put("one-record.bin", one);
        m.put("two-records.bin", two);
        return m;
    }
}
