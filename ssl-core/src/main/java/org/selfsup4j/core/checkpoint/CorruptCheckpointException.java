package org.selfsup4j.core.checkpoint;

import java.nio.file.Path;
import org.selfsup4j.core.DataFileException;

/**
 * A checkpoint file that cannot be trusted: truncated, bit-flipped, not a checkpoint at all, or with
 * a header whose values contradict each other or the file's length. Raised before any array is built.
 */
public class CorruptCheckpointException extends DataFileException {
    private static final long serialVersionUID = 1L;

    private final String problem;

    /**
     * @param file    the file that was read
     * @param problem what was wrong with it
     */
    public CorruptCheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file    the file that was read
     * @param problem what was wrong with it
     * @param cause   the underlying error, e.g. a JSON parse error
     */
    public CorruptCheckpointException(Path file, String problem, Throwable cause) {
        this("checkpoint", file, problem, cause);
    }

    /**
     * For the other files written in the checkpoint format (e.g. pretrained-encoder files), whose
     * messages should name their own kind.
     *
     * @param kind    what the file is meant to be, e.g. {@code "encoder file"}
     * @param file    the file that was read
     * @param problem what was wrong with it
     * @param cause   the underlying error, or null
     */
    protected CorruptCheckpointException(String kind, Path file, String problem, Throwable cause) {
        super("Corrupt " + kind + " " + file + ": " + problem, String.valueOf(file), cause);
        this.problem = problem;
    }

    /** The file that was read. */
    public Path file() {
        return Path.of(source());
    }

    /** What was wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
