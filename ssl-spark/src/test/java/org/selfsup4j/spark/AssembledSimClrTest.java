package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The library's SimCLR assembly with its batch norms synchronised ({@code MethodConfig.withNorm} and
 * {@link SyncBatchNorm#factory}) trains on 2 and 3 worker threads, and on Spark local[2], what the
 * same assembly with the library's BatchNorm trains in one process on the global batch (float64,
 * relative 1e-6); with per-worker BatchNorm the replicas diverge and the run is refused.
 */
class AssembledSimClrTest {
    private static final long SEED = 9;
    private static final AssembledSimClr.Images DATA = new AssembledSimClr.Images(2);

    private static Map<String, double[]> reference() {
        AssembledSimClr local = new AssembledSimClr(false);
        Map<String, double[]> after = Equivalence.singleProcess(local, DATA, SEED, AssembledSimClr.STEPS,
                AssembledSimClr.STEPS);
        Equivalence.assertMoved(Equivalence.initial(local, SEED, AssembledSimClr.STEPS), after, "SimCLR ConvNet");
        return after;
    }

    @Test
    void syncBatchNormOnThreadsAndSparkEqualsSingleProcess() {
        Map<String, double[]> reference = reference();
        DataParallelConfig config = DataParallelConfig.of(SEED, AssembledSimClr.STEPS);
        for (int workers : new int[] {2, 3}) {
            Equivalence.assertClose(reference, ThreadDataParallel.run(workers, new AssembledSimClr(true), DATA, config)
                    .state(), "SimCLR ConvNet on " + workers + " threads");
        }
        JavaSparkContext sc = SparkContexts.local("local[2]");
        try {
            Equivalence.assertClose(reference, SparkDataParallel.run(sc, 2, new AssembledSimClr(true), DATA,
                    config.withBarrierWake(2)).state(), "SimCLR ConvNet on Spark local[2]");
        } finally {
            sc.stop();
        }
    }

    @Test
    void perWorkerBatchNormDiverges() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ThreadDataParallel.run(2,
                new AssembledSimClr(false), DATA, DataParallelConfig.of(SEED, AssembledSimClr.STEPS)));
        assertTrue(e.getMessage().contains("the replicas diverged"), e.getMessage());
    }
}
