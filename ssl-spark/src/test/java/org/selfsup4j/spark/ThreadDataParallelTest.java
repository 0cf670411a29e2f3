package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data-parallel algebra without Spark: W worker threads over a {@link ThreadCollective} end
 * with the parameters (and EMA target, queue, optimizer moments) of single-process training on the
 * global batch, for every two-view method.
 */
class ThreadDataParallelTest {
    private static final long SEED = 11;
    private static final RandomViews DATA = new RandomViews(3, 12, TinyMethods.IN);

    @ParameterizedTest
    @EnumSource(TinyMethods.class)
    void twoAndThreeWorkersEqualSingleProcess(TinyMethods method) {
        Map<String, double[]> reference = Equivalence.singleProcess(method, DATA, SEED, TinyMethods.STEPS, TinyMethods.STEPS);
        Equivalence.assertMoved(Equivalence.initial(method, SEED, TinyMethods.STEPS), reference, method.name());
        for (int workers : new int[] {2, 3}) {
            DataParallelRun run = ThreadDataParallel.run(workers, method, DATA, DataParallelConfig.of(SEED, TinyMethods.STEPS));
            Equivalence.assertClose(reference, run.state(), method + " on " + workers + " threads");
            assertEquals(TinyMethods.STEPS, run.losses().length);
            for (WorkerResult w : run.workers()) {
                assertArrayEquals(run.losses(), w.losses(), "every worker sees the same global loss");
            }
        }
    }
}
