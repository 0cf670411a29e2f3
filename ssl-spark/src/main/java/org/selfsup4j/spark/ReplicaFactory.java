package org.selfsup4j.spark;

import java.io.Serializable;

/**
 * Builds a worker's {@link Replica}. It travels to the executors inside the task, so it is
 * serializable and carries a recipe (a method name, widths, a seed), never arrays.
 *
 * <p>It must be deterministic: every call returns the same initial weights and state, which is how
 * the replicas start identical without broadcasting parameters.
 */
@FunctionalInterface
public interface ReplicaFactory extends Serializable {
    /**
     * @param collective the worker's exchange, for layers that synchronise within the forward pass
     *                   ({@link SyncBatchNorm}); {@link ThreadCollective#single()} for one process
     * @return a fresh replica, identical on every call
     */
    Replica build(Collective collective);
}
