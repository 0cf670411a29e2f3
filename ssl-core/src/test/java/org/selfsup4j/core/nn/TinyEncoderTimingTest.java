package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports (logs, never asserts) the forward+backward time of a tiny conv encoder:
 * conv3x3(1->16)-ReLU-conv3x3(16->32)-ReLU-GAP on 128 x 1 x 28 x 28 float32, the shape of the
 * SameDiff figure in STACK-NOTES. Run alone for a cleaner number:
 * {@code mvn -o -pl ssl-core test -Dtest=TinyEncoderTimingTest}.
 */
class TinyEncoderTimingTest {
    private static final Logger LOG = LoggerFactory.getLogger(TinyEncoderTimingTest.class);

    /**
     * Median wall times, the fastest total, and the median process CPU time (all threads) per
     * forward+backward, in milliseconds; the minimum and CPU time are the steadier figures on a
     * shared machine.
     */
    record Timing(double forwardMs, double backwardMs, double totalMs, double minTotalMs, double cpuMs) {
    }

    static Sequential tinyEncoder(DataType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sequential(new Conv2d(1, 16, 3, 1, 1, true, dtype, rng), new ReLU(),
                new Conv2d(16, 32, 3, 1, 1, true, dtype, rng), new ReLU(), new GlobalAvgPool());
    }

    /** Median forward, backward and total time of {@code module} on {@code x} over {@code reps} runs. */
    static Timing measure(Module module, INDArray x, INDArray gradOut, int warmup, int reps) {
        double[] f = new double[reps];
        double[] b = new double[reps];
        double[] t = new double[reps];
        double[] cpu = new double[reps];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = -warmup; i < reps; i++) {
            for (Parameter p : module.parameters()) {
                p.zeroGradient();
            }
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            module.forward(x, true);
            long t1 = System.nanoTime();
            module.backward(gradOut);
            long t2 = System.nanoTime();
            long c2 = os.getProcessCpuTime();
            if (i >= 0) {
                cpu[i] = (c2 - c0) / 1e6;
                f[i] = (t1 - t0) / 1e6;
                b[i] = (t2 - t1) / 1e6;
                t[i] = (t2 - t0) / 1e6;
            }
        }
        double min = Arrays.stream(t).min().orElse(Double.NaN);
        return new Timing(median(f), median(b), median(t), min, median(cpu));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void tinyConvEncoder_forwardBackwardTime_isLogged() {
        Sequential enc = tinyEncoder(DataType.FLOAT, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 128, 1, 28, 28);
        INDArray g = Nd4j.ones(DataType.FLOAT, 128, 32).muli(1.0 / 128);
        Timing timing = measure(enc, x, g, 3, 10);
        String line = String.format("Tiny conv encoder (1->16->32, 3x3, 28x28, batch 128, float32): forward %.1f ms,"
                + " backward %.1f ms, forward+backward %.1f ms (median of 10; fastest %.1f ms; process CPU %.1f ms)",
                timing.forwardMs(), timing.backwardMs(), timing.totalMs(), timing.minTotalMs(), timing.cpuMs());
        LOG.info(line);
        // the build logs at WARN; the figure is the point of this test, so print it as well
        System.out.println(line);
        assertArrayEquals(new long[] {128, 32}, enc.forward(x, true).shape());
        assertFalse(Double.isNaN(enc.parameters().get(0).gradient().sumNumber().doubleValue()));
    }
}
