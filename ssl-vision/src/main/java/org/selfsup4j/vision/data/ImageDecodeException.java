package org.selfsup4j.vision.data;

import java.nio.file.Path;

/**
 * A file that could not be decoded as an image: unreadable, empty, truncated, of an unknown format,
 * or declaring more pixels than the decoder's limit. The message names the file and the reason.
 */
public final class ImageDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a file was refused. */
    public enum Reason {
        /** The file could not be opened or read. */
        IO,
        /** No registered decoder recognises the bytes (empty file, garbage, unknown format). */
        UNKNOWN_FORMAT,
        /** The header declares width x height above the pixel limit. */
        TOO_LARGE,
        /** The decoder failed part way (truncated or corrupt data). */
        CORRUPT
    }

    /** Kept as a string, as in the checkpoint exceptions: a {@link Path} is not serializable. */
    private final String file;
    private final Reason reason;

    /**
     * @param file the file
     * @param reason the category
     * @param detail what went wrong
     * @param cause the underlying failure, or null
     */
    public ImageDecodeException(Path file, Reason reason, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = String.valueOf(file);
        this.reason = reason;
    }

    /** @return the file that failed */
    public Path file() {
        return Path.of(file);
    }

    /** @return why it failed */
    public Reason reason() {
        return reason;
    }
}
