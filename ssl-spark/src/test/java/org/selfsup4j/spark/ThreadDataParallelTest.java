package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-parallel algebra without Spark: W worker threads over a {@link ThreadCollective} end
 * with the parameters (and EMA target, queue, optimizer moments, batch-norm statistics) of
 * single-process training on the global batch, for every two-view method, BN-free and with
 * {@link SyncBatchNorm}.
 */
class ThreadDataParallelTest {
    static final long SEED = 11;
    static final RandomViews DATA = new RandomViews(3, 12, TinyMethod.IN);
    static final RandomWaves WAVES = new RandomWaves(5, 12, 200);

    static Stream<TinyMethod> methods() {
        return Stream.concat(TinyMethod.all(TinyMethod.Norm.NONE).stream(),
                TinyMethod.all(TinyMethod.Norm.SYNC_BATCH_NORM).stream());
    }

    @ParameterizedTest
    @MethodSource("methods")
    void twoAndThreeWorkersEqualSingleProcess(TinyMethod method) {
        Map<String, double[]> reference = Equivalence.reference(method, DATA, SEED);
        for (int workers : new int[] {2, 3}) {
            DataParallelRun run = ThreadDataParallel.run(workers, method, DATA, DataParallelConfig.of(SEED, TinyMethod.STEPS));
            Equivalence.assertClose(reference, run.state(), method + " on " + workers + " threads");
            for (WorkerResult w : run.workers()) {
                assertArrayEquals(run.losses(), w.losses(), "every worker sees the same global loss");
                assertEquals(method.exchangesPerStep() * TinyMethod.STEPS, w.communication().exchanges());
            }
        }
    }

    /** The speech methods: 2 and 3 worker threads equal single-process training. */
    @ParameterizedTest
    @EnumSource(TinySpeech.Kind.class)
    void speechEqualsSingleProcess(TinySpeech.Kind kind) {
        TinySpeech speech = new TinySpeech(kind);
        Map<String, double[]> reference = Equivalence.singleProcess(speech, WAVES, SEED, TinyMethod.STEPS, TinyMethod.STEPS);
        Equivalence.assertMoved(Equivalence.initial(speech, SEED, TinyMethod.STEPS), reference, kind.name());
        for (int workers : new int[] {2, 3}) {
            DataParallelRun run = ThreadDataParallel.run(workers, speech, WAVES, DataParallelConfig.of(SEED, TinyMethod.STEPS));
            Equivalence.assertClose(reference, run.state(), kind + " on " + workers + " threads");
        }
    }

    /**
     * The control: the library's BatchNorm normalises each worker's rows with their own statistics, so
     * its running statistics differ between workers, and the replica check refuses the run.
     */
    @Test
    void unsynchronisedBatchNormIsCaughtAsDivergedReplicas() {
        TinyMethod local = new TinyMethod(TinyMethod.Kind.SIMCLR, TinyMethod.Norm.BATCH_NORM);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ThreadDataParallel.run(2, local, DATA, DataParallelConfig.of(SEED, TinyMethod.STEPS)));
        assertTrue(e.getMessage().contains("the replicas diverged"), e.getMessage());
    }

    @Test
    void aGlobalBatchThatDoesNotSplitIsRefused() {
        TinyMethod m = new TinyMethod(TinyMethod.Kind.SIMCLR, TinyMethod.Norm.NONE);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ThreadDataParallel.run(5, m, DATA, DataParallelConfig.of(SEED, TinyMethod.STEPS)));
        assertTrue(String.valueOf(e.getCause()).contains("does not split over 5 workers"), String.valueOf(e.getCause()));
    }
}
