package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.selfsup4j.examples.UserError;

/**
 * The input files of {@code embed} and {@code evaluate}: one file, or the files of a folder and its
 * subfolders whose names end as an encoder reads ({@link Embedder#extensions()}), hidden files left
 * out, in the order of their relative names (so a run's rows do not depend on the file system).
 */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * @param option  the option that named {@code input}, for messages, e.g. {@code "--data"}; empty for a parameter
     * @param input   a file or a folder
     * @param encoder the encoder that will read them
     * @return the files, at least one, sorted by {@link #name}
     * @throws UserError when {@code input} does not exist, is a file of another kind, or is a folder
     *                   without such files
     */
    static List<Path> list(String option, Path input, Embedder encoder) throws IOException {
        String named = option.isEmpty() ? input.toString() : option + " " + input;
        if (!Files.exists(input)) {
            throw UserError.data(named + " does not exist", null);
        }
        if (!Files.isDirectory(input)) {
            if (!readable(input, encoder)) {
                throw UserError.data(named + " is not " + article(encoder) + " file (expected a name "
                        + "ending in " + String.join(", ", encoder.extensions()) + ")", null);
            }
            return List.of(input);
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(input)) {
            files = s.filter(Files::isRegularFile).filter(p -> readable(p, encoder))
                    .sorted((a, b) -> name(input, a).compareTo(name(input, b))).toList();
        }
        if (files.isEmpty()) {
            throw UserError.data(named + " holds no " + encoder.inputKind() + " files ("
                    + String.join(", ", encoder.extensions()) + "), which this " + encoder.modality()
                    + " encoder needs", null);
        }
        return files;
    }

    /**
     * @param root the folder given on the command line, or the file itself
     * @param file one of {@link #list}'s files
     * @return its name relative to {@code root} with {@code /} separators; the file name when root is the file
     */
    static String name(Path root, Path file) {
        if (root.equals(file)) {
            return file.getFileName().toString();
        }
        return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
    }

    private static boolean readable(Path file, Embedder encoder) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && encoder.extensions().stream().anyMatch(n::endsWith);
    }

    private static String article(Embedder encoder) {
        return "aeiou".indexOf(Character.toLowerCase(encoder.inputKind().charAt(0))) >= 0 ? "an " + encoder.inputKind()
                : "a " + encoder.inputKind();
    }
}
