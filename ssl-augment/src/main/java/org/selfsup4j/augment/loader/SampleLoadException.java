package org.selfsup4j.augment.loader;

import java.io.Serializable;

/**
 * A failure on a loader worker, rethrown in the consumer: it names the sample (or, for a failure
 * while collating, the batch) and carries the worker's exception as its cause.
 */
public final class SampleLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Where in the loader's stream a failure happened; one value, since the consumer's rethrow copies
     * it whole. Serializable because the exception is.
     *
     * @param epoch epoch of the batch
     * @param batchIndex index of the batch within the epoch
     * @param sampleIndex dataset index of the failing sample, or -1 when collating failed
     */
    public record Position(long epoch, long batchIndex, int sampleIndex) implements Serializable {
        /** Whether collating the batch failed, rather than loading one sample. */
        public boolean collating() {
            return sampleIndex < 0;
        }
    }

    private final Position position;

    /**
     * @param message description
     * @param position where the failure happened
     * @param cause the worker's exception
     */
    public SampleLoadException(String message, Position position, Throwable cause) {
        super(message, cause);
        this.position = position;
    }

    /** @return where the failure happened */
    public Position position() {
        return position;
    }
}
