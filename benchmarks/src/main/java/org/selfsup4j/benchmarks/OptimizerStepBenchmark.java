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
 * One optimizer step over 10M float32 parameters: ten 1M weight tensors (decayed) plus ten 1k
 * biases (not decayed), gradients fixed. Side by side: {@code benchmarks/scripts/optimizer_torch.py}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar OptimizerStepBenchmark}.
 */
public class OptimizerStepBenchmark extends AverageTimeBenchmark {
    static final int TENSORS = 10;
    static final int WEIGHTS_PER_TENSOR = 1_000_000;
    static final int BIAS = 1_000;

    @Param({"sgd", "adam", "adamw", "lars"})
    String optimizer;

    List<Parameter> parameters;
    Optimizer opt;
    long step;

    @Setup(Level.Trial)
    public void setup() {
        parameters = new ArrayList<>();
        for (int i = 0; i < TENSORS; i++) {
            Parameter w = new Parameter("layer" + i + ".weight",
                    LossKernelBenchmark.gaussian(10 + i, 1000, WEIGHTS_PER_TENSOR / 1000), true);
            w.gradient().assign(LossKernelBenchmark.gaussian(100 + i, 1000, WEIGHTS_PER_TENSOR / 1000));
            parameters.add(w);
            Parameter b = new Parameter("layer" + i + ".bias", LossKernelBenchmark.gaussian(200 + i, BIAS), false);
            b.gradient().assign(LossKernelBenchmark.gaussian(300 + i, BIAS));
            parameters.add(b);
        }
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

    @Benchmark
    public long step() {
        opt.step(parameters, step);
        return ++step;
    }
}
