package org.selfsup4j.spark;

import java.util.List;

/**
 * The one exchange synchronous data-parallel training needs: every worker contributes a payload and
 * receives every worker's payload, in rank order.
 *
 * <p>Every worker must call {@link #allGather} the same number of times with the same tags in the
 * same order (the training step's sequence is identical on all replicas); an implementation checks
 * the tags and fails on a mismatch rather than mixing payloads of different exchanges.
 *
 * <p>Implementations: {@link BarrierCollective} (Spark's {@code BarrierTaskContext.allGather}) and
 * {@link ThreadCollective} (threads of one JVM, for tests of the algebra without Spark).
 */
public interface Collective {

    /** This worker's rank, 0-based; the order in which payloads come back. */
    int rank();

    /** The number of workers. */
    int worldSize();

    /**
     * @param tag names the exchange (e.g. {@code "embeddings#3"}); must be equal on all workers
     * @param payload this worker's bytes (not modified, not kept)
     * @return the payloads of ranks 0 .. worldSize - 1, this worker's at {@link #rank()}
     * @throws IllegalStateException when another worker sent a different tag
     */
    List<byte[]> allGather(String tag, byte[] payload);
}
