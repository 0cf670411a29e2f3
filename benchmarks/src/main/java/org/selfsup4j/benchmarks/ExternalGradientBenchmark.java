package org.selfsup4j.benchmarks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.selfsup4j.core.nn.Encoder;

/**
 * The cost of feeding a loss kernel's gradient into an encoder's backward pass. For the SameDiff
 * encoder, {@code backward} has to run the forward part of the graph again (M2.1 cannot start the
 * backward pass from a given output gradient on an earlier forward's activations): compare
 * {@code forward} with {@code forwardAndBackward} — the difference is backward plus the repeated
 * forward. The native encoder's backward reuses the forward's activations.
 *
 * <p>The tiny encoder of {@link TrainingStepBenchmark} on 128 inputs of 28x28.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ExternalGradientBenchmark}.
 */
public class ExternalGradientBenchmark extends AverageTimeBenchmark {

    @Param({"native", "samediff"})
    String encoder;

    Encoder enc;
    INDArray input;
    INDArray gradOut;

    @Setup(Level.Trial)
    public void setup() {
        enc = encoder.equals("native") ? TrainingStepBenchmark.nativeEncoder(1) : TrainingStepBenchmark.sameDiffEncoder(1);
        input = LossKernelBenchmark.gaussian(1, 2 * TrainingStepBenchmark.BATCH, 1, 28, 28);
        gradOut = LossKernelBenchmark.gaussian(2, 2 * TrainingStepBenchmark.BATCH, 64);
    }

    @Benchmark
    public INDArray forward() {
        return enc.forward(input, true);
    }

    @Benchmark
    public INDArray forwardAndBackward() {
        enc.forward(input, true);
        for (var p : enc.parameters()) {
            p.zeroGradient();
        }
        enc.backward(gradOut);
        return enc.parameters().get(0).gradient();
    }
}
