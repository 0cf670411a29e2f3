package org.selfsup4j.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Lars;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.optim.Sgd;

/**
 * One optimizer step over float32 parameters, gradients fixed, in one of two layouts:
 * {@code 10x1M}, ten 1M weight tensors (decayed) plus ten 1k biases (not decayed), 10M in all; and
 * {@code resnet18}, torchvision's ResNet-18 parameter list (62 tensors, 11,689,512 parameters from
 * 64-element batch-norm vectors to 2.36M-element 3x3 convolutions; weights of rank above 1 decayed).
 * Side by side: {@code benchmarks/scripts/optimizer_torch.py}, both at once: {@code scripts/adam_compare.sh}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar OptimizerStepBenchmark}.
 */
public class OptimizerStepBenchmark extends AverageTimeBenchmark {
    static final int TENSORS = 10;
    static final int WEIGHTS_PER_TENSOR = 1_000_000;
    static final int BIAS = 1_000;

    /** Classes of torchvision's ResNet-18 head. */
    static final int RESNET_CLASSES = 1000;

    @Param({"sgd", "adam", "adamw", "lars"})
    String optimizer;

    @Param({"10x1M", "resnet18"})
    String layout;

    List<Parameter> parameters;
    Optimizer opt;
    long step;

    @Setup(Level.Trial)
    public void setup() {
        parameters = switch (layout) {
            case "10x1M" -> tenMillion();
            case "resnet18" -> resnet18();
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        };
        ConstantSchedule lr = new ConstantSchedule(1e-4);
        opt = switch (optimizer) {
            case "sgd" -> Sgd.builder(lr).momentum(0.9).weightDecay(1e-4).build();
            case "adam" -> Adam.builder(lr).build();
            case "adamw" -> AdamW.builder(lr).weightDecay(0.05).build();
            case "lars" -> Lars.builder(lr).weightDecay(1e-6).build();
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
        opt.state(parameters);
    }

    private static List<Parameter> tenMillion() {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < TENSORS; i++) {
            ps.add(parameter("layer" + i + ".weight", 10 + i, true, 1000, WEIGHTS_PER_TENSOR / 1000));
            ps.add(parameter("layer" + i + ".bias", 200 + i, false, BIAS));
        }
        return ps;
    }

    /** torchvision's resnet18() parameters, in its order. */
    static List<Parameter> resnet18() {
        List<Parameter> ps = new ArrayList<>();
        conv(ps, "conv1", 64, 3, 7);
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < widths.length; stage++) {
            int c = widths[stage];
            for (int block = 0; block < 2; block++) {
                String name = "layer" + (stage + 1) + "." + block;
                conv(ps, name + ".conv1", c, block == 0 ? in : c, 3);
                conv(ps, name + ".conv2", c, c, 3);
                if (block == 0 && stage > 0) {
                    conv(ps, name + ".downsample", c, in, 1);
                }
            }
            in = c;
        }
        ps.add(parameter("fc.weight", ps.size(), true, RESNET_CLASSES, in));
        ps.add(parameter("fc.bias", ps.size(), false, RESNET_CLASSES));
        return ps;
    }

    /** A convolution's weight and the batch norm after it (weight and bias, not decayed). */
    private static void conv(List<Parameter> ps, String name, int out, int in, int k) {
        ps.add(parameter(name + ".weight", ps.size(), true, out, in, k, k));
        ps.add(parameter(name + ".bn.weight", ps.size(), false, out));
        ps.add(parameter(name + ".bn.bias", ps.size(), false, out));
    }

    private static Parameter parameter(String name, long seed, boolean decay, long... shape) {
        Parameter p = new Parameter(name, LossKernelBenchmark.gaussian(seed, shape), decay);
        p.gradient().assign(LossKernelBenchmark.gaussian(1000 + seed, shape));
        return p;
    }

    @Benchmark
    public long step() {
        opt.step(parameters, step);
        return ++step;
    }
}
