package org.selfsup4j.core.encoder;

import java.nio.file.Path;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;

/**
 * A pretrained-encoder file that cannot be used: damaged in its container (truncated, bit-flipped:
 * the checkpoint format's checks), not an encoder file (e.g. a training checkpoint), or with a header
 * field that is missing, malformed or contradicts the arrays. The message names the file and the
 * field. A {@link CorruptCheckpointException}, so one catch covers both kinds of file.
 */
public class CorruptEncoderFileException extends CorruptCheckpointException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the file that was read
     * @param problem what was wrong, naming the field
     */
    public CorruptEncoderFileException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file    the file that was read
     * @param problem what was wrong, naming the field
     * @param cause   the underlying error, or null
     */
    public CorruptEncoderFileException(Path file, String problem, Throwable cause) {
        super("encoder file", file, problem, cause);
    }
}
