package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs W {@link DataParallelWorker}s as threads of this JVM over a {@link ThreadCollective}: the
 * algorithm of {@link SparkDataParallel} without Spark, for tests of the algebra and for debugging.
 */
public final class ThreadDataParallel {
    private ThreadDataParallel() {
    }

    /**
     * @return the workers' reports in rank order, checked for identical replicas
     *         ({@link DataParallelRun#checkReplicasAgree})
     */
    public static DataParallelRun run(int workers, ReplicaFactory factory, ShardSource source, DataParallelConfig config) {
        ThreadCollective.Group group = new ThreadCollective.Group(workers, 600);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<WorkerResult>> futures = new ArrayList<>();
            for (int r = 0; r < workers; r++) {
                ThreadCollective member = group.member(r);
                futures.add(pool.submit(() -> {
                    try {
                        return DataParallelWorker.run(factory, source, member, config);
                    } catch (RuntimeException | Error e) {
                        // the others would wait for this worker's next exchange until the timeout
                        group.abort();
                        throw e;
                    }
                }));
            }
            List<WorkerResult> results = new ArrayList<>();
            for (Future<WorkerResult> f : futures) {
                results.add(f.get());
            }
            return DataParallelRun.of(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ThreadDataParallel: interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ThreadDataParallel: a worker failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
