package org.selfsup4j.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The readers under fuzz take paths: each harness writes its input to one reused temporary file, so
 * 10,000 executions do not leave 10,000 files behind. Also the per-input time limit and the seed
 * writer the harnesses of this package share.
 */
final class FuzzFiles {
    /** An input slower than this is a finding (a hang, or work out of proportion to the input). */
    static final long MAX_MILLIS_PER_INPUT = 2000;

    private FuzzFiles() {
    }

    /**
     * Fails an input that took longer than {@link #MAX_MILLIS_PER_INPUT}: a limit of our own, because
     * JUnit's {@code @Timeout} would time the whole fuzzing run as one call.
     *
     * @param startNanos {@link System#nanoTime()} when the input began
     */
    static void checkTime(long startNanos) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        if (ms > MAX_MILLIS_PER_INPUT) {
            throw new AssertionError("one input took " + ms + " ms, more than " + MAX_MILLIS_PER_INPUT);
        }
    }

    /** Writes a harness's valid seed inputs into its committed corpus folder. */
    static void writeSeeds(Path inputs, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(inputs);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(inputs.resolve(e.getKey()), e.getValue());
        }
    }

    /** A fresh temporary file, deleted when the JVM exits. */
    static Path temp(String suffix) {
        try {
            Path p = Files.createTempFile("selfsup4j-fuzz-", suffix);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the file's content with {@code data}. */
    static Path write(Path file, byte[] data) {
        try {
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
