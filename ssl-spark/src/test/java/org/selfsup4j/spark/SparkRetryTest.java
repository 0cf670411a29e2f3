package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A task that fails mid-run: Spark retries the barrier stage, the retried tasks resume from rank 0's
 * newest checkpoint, and the run ends with the state of a run that never failed.
 */
class SparkRetryTest {
    private static final long SEED = 11;
    private static final long STEPS = 4;

    /** {@link ThreadDataParallelTest#DATA}, but rank 1 fails at step 2 in the stage's first attempt. */
    record FailingOnce(RandomViews inner) implements ShardSource {
        @Override
        public List<INDArray> shard(long step, int rank, int workers) {
            if (step == 2 && rank == 1 && TaskContext.get().stageAttemptNumber() == 0) {
                throw new IllegalStateException("SparkRetryTest: the planned failure of rank 1 at step 2");
            }
            return inner.shard(step, rank, workers);
        }

        @Override
        public long stepsPerEpoch() {
            return inner.stepsPerEpoch();
        }
    }

    @Test
    void aRetriedStageResumesFromTheNewestCheckpoint(@TempDir Path dir) {
        TinyMethod simclr = new TinyMethod(TinyMethod.Kind.SIMCLR, TinyMethod.Norm.NONE);
        DataParallelConfig config = DataParallelConfig.of(SEED, STEPS).withCheckpoints(dir.toString(), 1).withBarrierWake(2);
        // local[2, 2]: two slots, and a task may fail twice before the job fails
        JavaSparkContext sc = SparkContexts.local("local[2,2]");
        try {
            DataParallelRun straight = SparkDataParallel.run(sc, 2, simclr, ThreadDataParallelTest.DATA,
                    DataParallelConfig.of(SEED, STEPS).withBarrierWake(2));
            DataParallelRun retried = SparkDataParallel.run(sc, 2, simclr, new FailingOnce(ThreadDataParallelTest.DATA),
                    config);
            for (WorkerResult w : retried.workers()) {
                // step 2's checkpoint, or step 1's when Spark killed rank 0 while it was writing step 2's
                assertTrue(w.firstStep() == 1 || w.firstStep() == 2, "rank " + w.rank()
                        + " should resume from a checkpoint, not start over; started at " + w.firstStep());
                assertEquals(STEPS, w.lastStep());
            }
            straight.state().forEach((k, v) -> assertArrayEquals(v, retried.state().get(k), k + " after the retry"));
        } finally {
            sc.stop();
        }
    }
}
