package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --encoder <file>} option of {@code embed} and {@code evaluate} (a picocli mixin). */
final class EncoderOption {
    @Option(names = "--encoder", required = true, paramLabel = "<file>", description = "an encoder file (a run's "
            + "encoder.selfsup4j, or one written by export); image or speech, as its header says")
    Path file;

    /** @return the encoder, opened as {@link Embedder#open} says */
    Embedder open() throws IOException {
        return Embedder.open(file);
    }
}
