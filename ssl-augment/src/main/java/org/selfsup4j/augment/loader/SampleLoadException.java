package org.selfsup4j.augment.loader;

/**
 * A failure on a loader worker, rethrown in the consumer: it names the sample (or, for a failure
 * while collating, the batch) and carries the worker's exception as its cause.
 */
public final class SampleLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int sampleIndex;
    private final long batchIndex;
    private final long epoch;

    /**
     * @param message description
     * @param epoch epoch of the batch
     * @param batchIndex index of the batch within the epoch
     * @param sampleIndex dataset index of the sample, or -1 when collating failed
     * @param cause the worker's exception
     */
    public SampleLoadException(String message, long epoch, long batchIndex, int sampleIndex, Throwable cause) {
        super(message, cause);
        this.epoch = epoch;
        this.batchIndex = batchIndex;
        this.sampleIndex = sampleIndex;
    }

    /** @return dataset index of the failing sample, or -1 when collating failed */
    public int sampleIndex() {
        return sampleIndex;
    }

    /** @return index of the batch within the epoch */
    public long batchIndex() {
        return batchIndex;
    }

    /** @return epoch */
    public long epoch() {
        return epoch;
    }
}
