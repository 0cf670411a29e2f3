package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scratch timing of forward + backward (not a test; the JMH suite in benchmarks is the reference).
 * Run: {@code java -cp <test classpath> org.selfsup4j.losses.LossTimings} with OMP_WAIT_POLICY=PASSIVE.
 */
public final class LossTimings {
    private static final Logger LOG = LoggerFactory.getLogger(LossTimings.class);

    private LossTimings() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        time("NtXentLoss N=1024 D=128 f32", new NtXentLoss(), 1024, 128, reps);
        time("VicRegLoss N=256 D=2048 f32", new VicRegLoss(), 256, 2048, reps);
        time("BarlowTwinsLoss N=256 D=2048 f32", new BarlowTwinsLoss(), 256, 2048, reps);
        time("ByolLoss N=1024 D=256 f32", new ByolLoss(), 1024, 256, reps);
        InfoNceLoss info = new InfoNceLoss();
        MocoQueue queue = new MocoQueue(MocoQueue.DEFAULT_SIZE, 128, DataType.FLOAT, 1);
        INDArray q = LossTesting.randn(1, DataType.FLOAT, 256, 128);
        INDArray k = LossTesting.randn(2, DataType.FLOAT, 256, 128);
        double[] ms = new double[reps];
        for (int w = 0; w < 5; w++) {
            info.compute(q, k, queue.negatives());
        }
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            info.compute(q, k, queue.negatives());
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        report("InfoNceLoss N=256 K=65536 D=128 f32", ms);
    }

    private static void time(String name, TwoViewLoss loss, int n, int d, int reps) {
        INDArray a = LossTesting.randn(1, DataType.FLOAT, n, d);
        INDArray b = LossTesting.randn(2, DataType.FLOAT, n, d);
        for (int w = 0; w < 5; w++) {
            loss.compute(a, b);
        }
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            loss.compute(a, b);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        report(name, ms);
    }

    private static void report(String name, double[] ms) {
        double[] s = ms.clone();
        java.util.Arrays.sort(s);
        LOG.warn(String.format("%-40s median %8.2f ms  min %8.2f ms  (%d reps)", name, s[s.length / 2], s[0], s.length));
    }
}
