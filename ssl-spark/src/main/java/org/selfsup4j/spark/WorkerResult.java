package org.selfsup4j.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What a worker reports when its run ends.
 *
 * @param rank the worker
 * @param firstStep the step it started from (above 0 after a resume)
 * @param lastStep the step it stopped at
 * @param losses the global-batch loss of every step it ran, in order (identical on all workers)
 * @param stateDigest SHA-256 of every state array's bits ({@link org.selfsup4j.core.train.Trainer#stateArrays()}):
 *                    equal on all workers when the replicas stayed identical
 * @param state rank 0 only (empty elsewhere): every state array, flattened in C order, as doubles
 * @param communication what this worker exchanged
 * @param trainNanos wall time of the steps, exchanges included
 */
public record WorkerResult(int rank, long firstStep, long lastStep, double[] losses, String stateDigest,
                           Map<String, double[]> state, CommunicationStats communication, long trainNanos)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
