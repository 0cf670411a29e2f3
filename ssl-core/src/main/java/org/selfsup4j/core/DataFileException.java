package org.selfsup4j.core;

import java.io.IOException;

/**
 * A data file (or named stream) whose content cannot be used: malformed, truncated, of another kind,
 * or over a configured limit. The base of the project's checked file-content failures (corrupt
 * checkpoints and encoder files, malformed WAV files), so one catch reports them all and each keeps
 * its own message. It carries the file's name, for callers that phrase their own report; the
 * subclasses add what they know of the fault (a checkpoint's problem, a WAV header's field).
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A name, not a {@link java.nio.file.Path}: a path is not serializable, and a stream has only a name. */
    private final String source;

    /**
     * @param message the full message, naming the file
     * @param source  the file (or stream name) that was read
     * @param cause   the underlying error, or null
     */
    protected DataFileException(String message, String source, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** @return the file or stream name that was read */
    public final String source() {
        return source;
    }
}
