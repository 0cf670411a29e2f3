package org.selfsup4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Conv2d;

/**
 * Forward and backward time of every distinct convolution of {@link BenchmarkModels#resnet18Half}
 * on its own, with the FLOP rate: the kernel-level view behind the step profile's convolution share.
 * Times are the calling thread's CPU time (run with {@code -Dselfsup4j.threads=1} for a
 * single-core figure that the machine's load does not inflate) and the wall-clock minimum.
 *
 * <pre>
 * java -Dselfsup4j.threads=1 -cp benchmarks/target/benchmarks.jar org.selfsup4j.benchmarks.ConvLayerBench [batch] [reps]
 * </pre>
 */
public final class ConvLayerBench {
    private ConvLayerBench() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // in, out, kernel, stride, pad, input size, count in the network
        int[][] layers = {
            {3, 32, 3, 1, 1, 32, 1},
            {32, 32, 3, 1, 1, 32, 4},
            {32, 64, 3, 2, 1, 32, 1},
            {64, 64, 3, 1, 1, 16, 3},
            {32, 64, 1, 2, 0, 32, 1},
            {64, 128, 3, 2, 1, 16, 1},
            {128, 128, 3, 1, 1, 8, 3},
            {64, 128, 1, 2, 0, 16, 1},
            {128, 256, 3, 2, 1, 8, 1},
            {256, 256, 3, 1, 1, 4, 3},
            {128, 256, 1, 2, 0, 8, 1},
        };
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        double totF = 0;
        double totB = 0;
        for (int[] l : layers) {
            Conv2d conv = new Conv2d(l[0], l[1], l[2], l[3], l[4], false, DataType.FLOAT, new SplittableRandom(1));
            INDArray x = LossKernelBenchmark.gaussian(2, batch, l[0], l[5], l[5]);
            INDArray y = conv.forward(x, true);
            INDArray gy = LossKernelBenchmark.gaussian(3, y.shape());
            conv.backward(gy);
            double flop = 2.0 * batch * y.size(2) * y.size(3) * l[1] * l[0] * l[2] * l[2];
            double fCpu = Double.MAX_VALUE;
            double bCpu = Double.MAX_VALUE;
            double fWall = Double.MAX_VALUE;
            double bWall = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long c0 = tm.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                conv.forward(x, true);
                long c1 = tm.getCurrentThreadCpuTime();
                long w1 = System.nanoTime();
                conv.backward(gy);
                long c2 = tm.getCurrentThreadCpuTime();
                long w2 = System.nanoTime();
                fCpu = Math.min(fCpu, (c1 - c0) / 1e6);
                bCpu = Math.min(bCpu, (c2 - c1) / 1e6);
                fWall = Math.min(fWall, (w1 - w0) / 1e6);
                bWall = Math.min(bWall, (w2 - w1) / 1e6);
            }
            totF += l[6] * fCpu;
            totB += l[6] * bCpu;
            System.out.printf(Locale.ROOT, "%3d->%3d k%d s%d %2dx%-2d x%d  fwd cpu %7.2f wall %7.2f ms %6.1f GF/s"
                    + "   bwd cpu %7.2f wall %7.2f ms %6.1f GF/s%n", l[0], l[1], l[2], l[3], l[5], l[5], l[6], fCpu, fWall,
                    flop / fCpu / 1e6, bCpu, bWall, 2 * flop / bCpu / 1e6);
        }
        System.out.printf(Locale.ROOT, "RESULT conv total (x count) fwd cpu %.1f ms  bwd cpu %.1f ms  sum %.1f ms%n", totF, totB,
                totF + totB);
    }
}
