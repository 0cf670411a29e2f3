package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The workers' reports of one data-parallel run, in rank order.
 *
 * @param workers one report per rank
 */
public record DataParallelRun(List<WorkerResult> workers) {
    public DataParallelRun {
        workers = List.copyOf(workers);
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("DataParallelRun: expected at least one worker report, got none");
        }
    }

    /** The reports sorted by rank and checked with {@link #checkReplicasAgree}. */
    static DataParallelRun of(List<WorkerResult> results) {
        List<WorkerResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparingInt(WorkerResult::rank));
        for (int r = 0; r < sorted.size(); r++) {
            if (sorted.get(r).rank() != r) {
                throw new IllegalStateException("DataParallelRun: expected ranks 0.." + (sorted.size() - 1)
                        + ", got rank " + sorted.get(r).rank() + " at position " + r);
            }
        }
        DataParallelRun run = new DataParallelRun(sorted);
        run.checkReplicasAgree();
        return run;
    }

    /**
     * @throws IllegalStateException when two workers ended with different state bits: the replicas
     *         diverged, which the algorithm must never let happen
     */
    public void checkReplicasAgree() {
        String d0 = workers.get(0).stateDigest();
        for (WorkerResult w : workers) {
            if (!w.stateDigest().equals(d0)) {
                throw new IllegalStateException("DataParallelRun: rank " + w.rank() + " ended with state digest "
                        + w.stateDigest() + ", rank 0 with " + d0 + ": the replicas diverged");
            }
        }
    }

    /** Rank 0's final state arrays, flattened. */
    public Map<String, double[]> state() {
        return workers.get(0).state();
    }

    /** The global-batch loss of every step run (rank 0's; equal on all ranks). */
    public double[] losses() {
        return workers.get(0).losses();
    }
}
