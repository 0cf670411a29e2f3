package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.selfsup4j.examples.UserError;
import picocli.CommandLine.Option;

/**
 * The required {@code --out <file>} of {@code embed} and {@code export} (a picocli mixin): a file
 * name, not a folder, whose folder is created when it is written.
 */
final class OutFile {
    @Option(names = "--out", required = true, paramLabel = "<file>", description = "the file to write (its folder is "
            + "created)")
    Path file;

    /**
     * @return the file, checked
     * @throws UserError when it names a folder
     */
    Path checked() {
        if (Files.isDirectory(file)) {
            throw UserError.usage("--out " + file + " is a folder, expected a file name");
        }
        return file;
    }

    /**
     * Creates the folder {@code file} will be written in.
     *
     * @param file an output file
     * @return {@code file}
     */
    static Path createParent(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        return file;
    }
}
