package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.train.Seeds;

/**
 * {@link SyncBatchNorm} on W workers, each holding a slice of the batch, against the library's
 * {@link BatchNorm} on the whole batch: outputs, input gradients, summed weight and bias gradients
 * and running statistics, for {@code [N, C]} and {@code [N, C, H, W]} inputs (the equivalence tests
 * only cover {@code [N, C]}).
 */
class SyncBatchNormTest {
    private static final int C = 3;
    private static final int N = 6;

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void workersTogetherComputeTheGlobalBatchNorm(int rank) throws Exception {
        long[] shape = rank == 2 ? new long[] {N, C} : new long[] {N, C, 2, 3};
        INDArray x = gaussian(shape, 1).muli(2).addi(0.5);
        INDArray g = gaussian(shape, 2);
        BatchNorm reference = new BatchNorm(C, true, DataType.DOUBLE);
        reference.parameters().get(0).value().assign(Nd4j.createFromArray(1.5, 0.5, 2.0));
        INDArray y = reference.forward(x, true).dup();
        INDArray dx = reference.backward(g).dup();
        for (int workers : new int[] {1, 2, 3}) {
            List<Slice> slices = run(workers, x, g);
            long n = N / workers;
            INDArray dw = Nd4j.zeros(DataType.DOUBLE, C);
            INDArray db = Nd4j.zeros(DataType.DOUBLE, C);
            for (int r = 0; r < workers; r++) {
                Slice s = slices.get(r);
                assertClose(y.get(NDArrayIndex.interval(r * n, (r + 1) * n)), s.y, "output of rank " + r + "/" + workers);
                assertClose(dx.get(NDArrayIndex.interval(r * n, (r + 1) * n)), s.dx, "input gradient of rank " + r);
                assertClose(reference.runningMean(), s.bn.buffers().get("running_mean"), "running mean of rank " + r);
                assertClose(reference.runningVar(), s.bn.buffers().get("running_var"), "running variance of rank " + r);
                dw.addi(s.bn.parameters().get(0).gradient());
                db.addi(s.bn.parameters().get(1).gradient());
            }
            assertClose(reference.parameters().get(0).gradient(), dw, "summed weight gradient, " + workers + " workers");
            assertClose(reference.parameters().get(1).gradient(), db, "summed bias gradient, " + workers + " workers");
        }
    }

    private record Slice(SyncBatchNorm bn, INDArray y, INDArray dx) {
    }

    private static List<Slice> run(int workers, INDArray x, INDArray g) throws Exception {
        ThreadCollective.Group group = new ThreadCollective.Group(workers, 60);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Slice>> futures = new ArrayList<>();
            long n = N / workers;
            for (int r = 0; r < workers; r++) {
                ThreadCollective member = group.member(r);
                INDArray xs = x.get(NDArrayIndex.interval(r * n, (r + 1) * n)).dup();
                INDArray gs = g.get(NDArrayIndex.interval(r * n, (r + 1) * n)).dup();
                futures.add(pool.submit(() -> {
                    SyncBatchNorm bn = new SyncBatchNorm(member, C, true, DataType.DOUBLE);
                    bn.parameters().get(0).value().assign(Nd4j.createFromArray(1.5, 0.5, 2.0));
                    INDArray y = bn.forward(xs, true);
                    return new Slice(bn, y, bn.backward(gs));
                }));
            }
            List<Slice> out = new ArrayList<>();
            for (Future<Slice> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static INDArray gaussian(long[] shape, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        double[] v = new double[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Seeds.gaussian(rng);
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
        double norm = expected.castTo(DataType.DOUBLE).norm2Number().doubleValue();
        assertTrue(diff <= 1e-10 * Math.max(norm, 1), what + ": differs by " + diff + " (norm " + norm + ")");
    }
}
