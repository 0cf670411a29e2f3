package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The correctness bar on real Spark: after {@link TinyMethod#STEPS} steps, a barrier stage
 * of W tasks (one replica each, exchanges through {@code BarrierTaskContext.allGather}) ends with the
 * state of single-process training on the global batch of 12, within relative 1e-6 in float64, for
 * SimCLR, VICReg, Barlow Twins, MoCo v2 and BYOL, each with a BN-free encoder and with
 * {@link SyncBatchNorm} (compared with the library's BatchNorm on the global batch), and for
 * wav2vec 2.0 and HuBERT; and a run resumed from its checkpoint. {@code local[W]} offers exactly the W slots the
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

    /**
     * Woken barrier tasks ({@link DataParallelConfig#barrierWakeMillis()}): the same result, and an
     * exchange no longer waits out Spark's one-second poll (half a second is a loose bound for a loaded
     * machine; unwoken, each exchange takes about a second).
     */
    @Test
    void wokenBarrierTasksGiveTheSameResultFaster() {
        TinyMethod byol = new TinyMethod(TinyMethod.Kind.BYOL, TinyMethod.Norm.SYNC_BATCH_NORM);
        Map<String, double[]> reference = Equivalence.reference(byol, DATA, SEED);
        DataParallelRun run = SparkDataParallel.run(sc, workers(), byol, DATA,
                DataParallelConfig.of(SEED, TinyMethod.STEPS).withBarrierWake(2));
        Equivalence.assertClose(reference, run.state(), "woken BYOL with SyncBatchNorm on local[" + workers() + "]");
        for (WorkerResult w : run.workers()) {
            CommunicationStats c = w.communication();
            double perExchange = c.nanos() / 1e9 / c.exchanges();
            assertTrue(perExchange < 0.5, "rank " + w.rank() + ": " + perExchange + " s per exchange");
        }
    }

    /**
     * The speech methods: the feature encoder distributed, the objective (masking, transformer, and
     * wav2vec 2.0's quantizer and contrastive loss or HuBERT's masked prediction) on the global batch.
     */
    @ParameterizedTest
    @EnumSource(TinySpeech.Kind.class)
    void speechEqualsSingleProcessTraining(TinySpeech.Kind kind) {
        TinySpeech speech = new TinySpeech(kind);
        RandomWaves waves = ThreadDataParallelTest.WAVES;
        Map<String, double[]> reference = Equivalence.singleProcess(speech, waves, SEED, TinyMethod.STEPS, TinyMethod.STEPS);
        Equivalence.assertMoved(Equivalence.initial(speech, SEED, TinyMethod.STEPS), reference, kind.name());
        DataParallelRun run = SparkDataParallel.run(sc, workers(), speech, waves, DataParallelConfig.of(SEED, TinyMethod.STEPS));
        Equivalence.assertClose(reference, run.state(), kind + " on local[" + workers() + "]");
    }

    /**
     * Resume in distributed mode: a run stopped after 2 of 4 steps (rank 0 checkpointing every step)
     * and resumed by a new barrier stage ends bit for bit where the uninterrupted run ends, and within
     * 1e-6 of single-process training. MoCo v2, for the state beyond parameters: momentum encoder,
     * queue and its pointer, SGD momentum.
     */
    @Test
    void resumesFromACheckpointInDistributedMode(@TempDir Path dir) {
        TinyMethod moco = new TinyMethod(TinyMethod.Kind.MOCO_V2, TinyMethod.Norm.NONE);
        long total = 4;
        DataParallelConfig full = DataParallelConfig.of(SEED, total);
        DataParallelRun straight = SparkDataParallel.run(sc, workers(), moco, DATA, full);
        DataParallelConfig halfway = full.withCheckpoints(dir.toString(), 1).stoppingAt(2);
        DataParallelRun first = SparkDataParallel.run(sc, workers(), moco, DATA, halfway);
        assertEquals(2, first.workers().get(0).lastStep());
        DataParallelRun resumed = SparkDataParallel.run(sc, workers(), moco, DATA, halfway.stoppingAt(total).resuming());
        for (WorkerResult w : resumed.workers()) {
            assertEquals(2, w.firstStep(), "rank " + w.rank() + " resumed at the checkpoint's step");
            assertEquals(total, w.lastStep());
        }
        assertArrayEquals(Arrays.copyOfRange(straight.losses(), 2, 4), resumed.losses(), "losses after the resume");
        assertEquals(straight.state().keySet(), resumed.state().keySet());
        straight.state().forEach((k, v) -> assertArrayEquals(v, resumed.state().get(k), k + " after the resume"));
        Equivalence.assertClose(Equivalence.singleProcess(moco, DATA, SEED, total, total), resumed.state(),
                "resumed MoCo v2 on local[" + workers() + "]");
    }
}
