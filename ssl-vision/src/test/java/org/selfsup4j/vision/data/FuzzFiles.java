package org.selfsup4j.vision.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The readers under fuzz take paths: each harness writes its input to one reused temporary file, so
 * 10,000 executions do not leave 10,000 files behind.
 */
final class FuzzFiles {
    private FuzzFiles() {
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
