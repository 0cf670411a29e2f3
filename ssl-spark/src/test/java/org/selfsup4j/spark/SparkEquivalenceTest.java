package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The correctness bar on real Spark: after {@link TinyMethod#STEPS} steps, a barrier stage
 * of W tasks (one replica each, exchanges through {@code BarrierTaskContext.allGather}) ends with the
 * state of single-process training on the global batch of 12, within relative 1e-6 in float64, for
 * SimCLR, VICReg, Barlow Twins, MoCo v2 and BYOL, each with a BN-free encoder and with
 * {@link SyncBatchNorm} (compared with the library's BatchNorm on the global batch). {@code local[W]} offers exactly the W slots the
 * barrier stage needs. Subclasses fix W.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkEquivalenceTest {
    private static final long SEED = 11;
    private static final RandomViews DATA = new RandomViews(3, 12, TinyMethod.IN);
    private JavaSparkContext sc;

    /** W: the master is {@code local[W]} and the stage has W tasks. */
    abstract int workers();

    @BeforeAll
    void start() {
        sc = SparkContexts.local("local[" + workers() + "]");
    }

    @AfterAll
    void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    @ParameterizedTest
    @MethodSource("org.selfsup4j.spark.ThreadDataParallelTest#methods")
    void equalsSingleProcessTraining(TinyMethod method) {
        Map<String, double[]> reference = Equivalence.reference(method, DATA, SEED);
        DataParallelRun run = SparkDataParallel.run(sc, workers(), method, DATA, DataParallelConfig.of(SEED, TinyMethod.STEPS));
        String what = method + " on local[" + workers() + "]";
        assertEquals(workers(), run.workers().size(), what + ": one report per task");
        Equivalence.assertClose(reference, run.state(), what);
        for (WorkerResult w : run.workers()) {
            assertArrayEquals(run.losses(), w.losses(), what + ": every worker sees the same global loss");
            assertEquals(method.exchangesPerStep() * TinyMethod.STEPS, w.communication().exchanges(), what + ": exchanges of rank " + w.rank());
            assertTrue(w.communication().bytesReceived() == workers() * w.communication().bytesSent(),
                    what + ": every worker receives every worker's payload");
        }
    }
}
