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
        gemmBaseline(reps);
        time("NtXentLoss N=1024 D=128 f32", new NtXentLoss(NtXentLoss.DEFAULT_TEMPERATURE), 1024, 128, reps);
        time("VicRegLoss N=256 D=2048 f32", new VicRegLoss(), 256, 2048, reps);
        time("VicRegLoss N=2048 D=256 f32 (DxD path)", new VicRegLoss(), 2048, 256, reps);
        time("BarlowTwinsLoss N=256 D=2048 f32", new BarlowTwinsLoss(BarlowTwinsLoss.DEFAULT_LAMBDA), 256, 2048, reps);
        time("ByolLoss N=1024 D=256 f32", new ByolLoss(), 1024, 256, reps);
        InfoNceLoss info = new InfoNceLoss(InfoNceLoss.DEFAULT_TEMPERATURE);
        MocoQueue queue = new MocoQueue(MocoQueue.DEFAULT_SIZE, 128, DataType.FLOAT, 1);
        INDArray q = LossTesting.randn(1, DataType.FLOAT, 256, 128);
        INDArray k = LossTesting.randn(2, DataType.FLOAT, 256, 128);
        double[] ms = new double[reps];
        for (int w = 0; w < 5; w++) {
            info.compute(q, k, queue.negatives());
        }
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            info.compute(q, k, queue.negatives()).gradient(0);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        report("InfoNceLoss N=256 K=65536 D=128 f32 (dq only)", ms);
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            info.compute(q, k, queue.negatives()).gradient(2);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        report("InfoNceLoss N=256 K=65536 D=128 f32 (+dneg)", ms);
    }

    /** A bare GEMM of NT-Xent's similarity size, to put the loss timings in proportion on a loaded machine. */
    private static void gemmBaseline(int reps) {
        INDArray u = LossTesting.randn(3, DataType.FLOAT, 2048, 128);
        INDArray out = org.nd4j.linalg.factory.Nd4j.createUninitialized(DataType.FLOAT, 2048, 2048);
        double[] ms = new double[reps];
        for (int r = -5; r < reps; r++) {
            long t0 = System.nanoTime();
            org.nd4j.linalg.factory.Nd4j.gemm(u, u, out, false, true, 1.0, 0.0);
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        report("GEMM 2048x128 . 128x2048 f32 (1.07 GFLOP)", ms);
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
