package org.selfsup4j.speech.io;

import org.selfsup4j.core.DataFileException;

/**
 * A WAV file that is malformed, unsupported or over a configured limit. The message and the
 * accessors name the file and the header field at fault.
 */
public class WavFormatException extends DataFileException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param source the file (or stream name) being read
     * @param field the header field at fault, e.g. {@code "sampleRate"} or {@code "data chunk size"}
     * @param detail what was expected and what came
     */
    public WavFormatException(String source, String field, String detail) {
        super("WavReader: " + source + ": field '" + field + "': " + detail, source, null);
        this.field = field;
    }

    /** @return the header field at fault */
    public String field() {
        return field;
    }
}
