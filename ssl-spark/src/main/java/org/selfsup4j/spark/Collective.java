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
 * <p>A worker's rank and the number of workers are fixed for its lifetime, so they are given once,
 * checked, at construction; an implementation supplies only the exchange. Implementations:
 * {@link BarrierCollective} (Spark's {@code BarrierTaskContext.allGather}), {@link ThreadCollective}
 * (threads of one JVM, for tests of the algebra without Spark) and {@link MeteredCollective} (counts
 * what passes through another).
 */
public abstract class Collective {
    private final int rank;
    private final int worldSize;

    /**
     * @param rank this worker's rank
     * @param worldSize the number of workers
     * @throws IllegalArgumentException unless {@code worldSize >= 1} and {@code 0 <= rank < worldSize}
     */
    protected Collective(int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("Collective: expected at least one worker and a rank in [0, worldSize),"
                    + " got rank " + rank + " of " + worldSize);
        }
        this.rank = rank;
        this.worldSize = worldSize;
    }

    /** This worker's rank, 0-based; the order in which payloads come back. */
    public final int rank() {
        return rank;
    }

    /** The number of workers. */
    public final int worldSize() {
        return worldSize;
    }

    /**
     * @param tag names the exchange (e.g. {@code "embeddings#3"}); must be equal on all workers
     * @param payload this worker's bytes (not modified, not kept)
     * @return the payloads of ranks 0 .. worldSize - 1, this worker's at {@link #rank()}
     * @throws IllegalStateException when another worker sent a different tag
     */
    public abstract List<byte[]> allGather(String tag, byte[] payload);
}
