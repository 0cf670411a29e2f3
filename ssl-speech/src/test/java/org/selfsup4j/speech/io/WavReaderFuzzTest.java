package org.selfsup4j.speech.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzz harness of {@link WavReader}: any bytes either decode or raise {@link WavFormatException}, the
 * reader's documented exception. Anything else (another exception, an {@link OutOfMemoryError}, more
 * than {@link #MAX_MILLIS_PER_INPUT} ms on one input) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/speech/io/WavReaderFuzzTestInputs/read/} as regression
 * tests (seconds); {@code scripts/fuzz.sh} fuzzes it (see FUZZING.md).
 */
class WavReaderFuzzTest {
    /** An input slower than this is a finding (a hang, or work out of proportion to the input). */
    static final long MAX_MILLIS_PER_INPUT = 2000;
    private static final WavReader READER = WavReader.create();

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void read(byte[] data) {
        long start = System.nanoTime();
        try {
            Audio a = READER.read(data, "fuzz.wav");
            // Accepted audio must be what the reader promises: frames present, every sample finite.
            if (a.numFrames() == 0) {
                throw new AssertionError("accepted zero-length audio");
            }
            for (float[] ch : a.channels()) {
                for (float v : ch) {
                    if (!Float.isFinite(v)) {
                        throw new AssertionError("accepted a non-finite sample " + v);
                    }
                }
            }
        } catch (WavFormatException expected) {
            // The documented refusal.
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        // A per-input limit of our own: JUnit's @Timeout would time the whole fuzzing run as one call.
        if (ms > MAX_MILLIS_PER_INPUT) {
            throw new AssertionError("one input took " + ms + " ms, more than " + MAX_MILLIS_PER_INPUT);
        }
    }

    /** Where this harness's committed inputs live, relative to the module (surefire's working directory). */
    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/speech/io/WavReaderFuzzTestInputs/read");

    /**
     * Regenerates the valid seed inputs: {@code mvn test -Dtest=WavReaderFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}.
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
            READER.read(Files.readAllBytes(p), p.toString());
        }
    }

    /** Small valid files: every encoding family, a plain and an extensible header, an extra chunk. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        float[] ramp = {0f, 0.25f, -0.5f, 0.75f, -1f, 0.5f};
        Audio mono = Audio.mono(ramp, 8000);
        Audio stereo = new Audio(new float[][] {ramp, ramp.clone()}, 16000, SampleEncoding.FLOAT_32);
        m.put("pcm16-mono.wav", new WavWriter(SampleEncoding.PCM_S16).toBytes(mono));
        m.put("pcm8-mono.wav", new WavWriter(SampleEncoding.PCM_U8).toBytes(mono));
        m.put("pcm24-extensible.wav", new WavWriter(SampleEncoding.PCM_S24, true).toBytes(mono));
        m.put("float32-stereo.wav", new WavWriter(SampleEncoding.FLOAT_32).toBytes(stereo));
        m.put("float64-extensible.wav", new WavWriter(SampleEncoding.FLOAT_64, true).toBytes(mono));
        m.put("pcm16-list-chunk.wav", WavReaderTest.riff(WavReaderTest.fmt(1, 1, 8000, 2, 16),
                WavReaderTest.chunk("LIST", WavReaderTest.ascii("INFOxyz")),
                WavReaderTest.chunk("data", WavReaderTest.cat(WavReaderTest.le(2, 1000), WavReaderTest.le(2, -1000)))));
        return m;
    }
}
