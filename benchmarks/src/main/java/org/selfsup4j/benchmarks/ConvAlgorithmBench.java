package org.selfsup4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.ConvAlgorithm;
import org.selfsup4j.core.nn.Conv2d;

/**
 * Direct against Winograd F(2x2, 3x3) on the 3x3 stride-1 layers of {@link BenchmarkModels#resnet18Half}
 * (and of the full-width ResNet-18 with {@code full}): forward + backward of each layer on its own,
 * the two algorithms alternated {@code rounds} times in this one process ({@link ConvAlgorithm#set}),
 * fastest wall time and calling-thread CPU time of each. On a shared machine the fastest of several
 * alternations is the figure least inflated by the other jobs; the load average is printed with it.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *      org.selfsup4j.benchmarks.ConvAlgorithmBench [batch=512] [rounds=4] [reps=2] [half|full] [size=32]
 * </pre>
 */
public final class ConvAlgorithmBench {
    private ConvAlgorithmBench() {
    }

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int width = args.length > 3 && args[3].equals("full") ? 2 : 1;
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        // channels, map size, count in the network (3x3 stride-1 padding-1 layers of ResNet-18/2 at 32x32)
        int[][] layers = {
            {3, 32 * width, size, 1},
            {32 * width, 32 * width, size, 4},
            {64 * width, 64 * width, size / 2, 3},
            {128 * width, 128 * width, size / 4, 3},
            {256 * width, 256 * width, size / 8, 3},
        };
        ThreadMXBean tm = ManagementFactory.getThreadMXBean();
        String[] modes = {ConvAlgorithm.DIRECT, ConvAlgorithm.WINOGRAD};
        double[] total = new double[2];
        System.out.printf(Locale.ROOT, "load %s, batch %d, %d rounds x %d reps, threads %s%n", load(), batch, rounds, reps,
                System.getProperty("selfsup4j.threads", "default"));
        for (int[] l : layers) {
            int cin = l[0] == 3 ? 3 : l[0];
            Conv2d conv = new Conv2d(cin, l[1], 3, 1, 1, false, DataType.FLOAT, new SplittableRandom(1));
            INDArray x = LossKernelBenchmark.gaussian(2, batch, cin, l[2], l[2]);
            INDArray gy = LossKernelBenchmark.gaussian(3, batch, l[1], l[2], l[2]);
            double[] wall = {Double.MAX_VALUE, Double.MAX_VALUE};
            double[] cpu = {Double.MAX_VALUE, Double.MAX_VALUE};
            double[] fwd = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < 2; m++) {
                    ConvAlgorithm.set(modes[m]);
                    conv.forward(x, true);
                    conv.backward(gy);
                    for (int k = 0; k < reps; k++) {
                        long c0 = tm.getCurrentThreadCpuTime();
                        long w0 = System.nanoTime();
                        conv.forward(x, true);
                        fwd[m] = Math.min(fwd[m], (System.nanoTime() - w0) / 1e6);
                        conv.backward(gy);
                        wall[m] = Math.min(wall[m], (System.nanoTime() - w0) / 1e6);
                        cpu[m] = Math.min(cpu[m], (tm.getCurrentThreadCpuTime() - c0) / 1e6);
                    }
                }
            }
            ConvAlgorithm.set(ConvAlgorithm.AUTO);
            for (int m = 0; m < 2; m++) {
                total[m] += l[3] * wall[m];
            }
            System.out.printf(Locale.ROOT, "%3d->%3d %3dx%-3d x%d  fwd+bwd wall min: direct %8.1f ms  winograd %8.1f ms"
                    + "  (%.2fx)  of which fwd %7.1f / %7.1f   caller cpu: direct %8.1f  winograd %8.1f%n", cin, l[1], l[2],
                    l[2], l[3], wall[0], wall[1], wall[0] / wall[1], fwd[0], fwd[1], cpu[0], cpu[1]);
        }
        System.out.printf(Locale.ROOT, "RESULT 3x3 stride-1 layers (x count) fwd+bwd wall: direct %.1f ms  winograd %.1f ms"
                + "  (%.2fx), load %s%n", total[0], total[1], total[0] / total[1], load());
    }

    private static String load() throws java.io.IOException {
        return new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim();
    }
}
