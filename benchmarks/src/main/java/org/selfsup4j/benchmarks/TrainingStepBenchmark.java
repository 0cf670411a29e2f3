package org.selfsup4j.benchmarks;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.samediff.SameDiffBlocks;
import org.selfsup4j.core.samediff.SameDiffEncoder;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.objective.SameDiffNtXentObjective;
import org.selfsup4j.losses.objective.SimClrObjective;

/**
 * One SimCLR training step of the tiny encoder of STACK-NOTES (conv 1->16 3x3 stride 2, ReLU, conv
 * 16->32 3x3 stride 2, ReLU, global average pool, linear 32->64) on 28x28 inputs, 64 per view:
 * zero gradients, forward both views, NT-Xent, backward, Adam. Encoders: the native blocks
 * ({@code native}) or the same network as a SameDiff graph ({@code samediff}); objective: the
 * ssl-losses kernel or the SameDiff-ops NT-Xent. Side by side: {@code benchmarks/scripts/step_torch.py}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TrainingStepBenchmark}.
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TrainingStepBenchmark extends AverageTimeBenchmark {
    static final int BATCH = 64;

    @Param({"native", "samediff"})
    String encoder;

    @Param({"kernel", "samediff"})
    String objective;

    Trainer trainer;
    List<INDArray> views;

    @Setup(Level.Trial)
    public void setup() {
        Encoder enc = encoder.equals("native") ? nativeEncoder(1) : sameDiffEncoder(1);
        Objective obj = objective.equals("kernel") ? new SimClrObjective(0.5) : new SameDiffNtXentObjective(0.5);
        trainer = new Trainer(Trainer.Config.of(1, Long.MAX_VALUE / 2), enc, obj,
                Adam.builder(new ConstantSchedule(1e-3)).build());
        views = List.of(LossKernelBenchmark.gaussian(1, BATCH, 1, 28, 28),
                LossKernelBenchmark.gaussian(2, BATCH, 1, 28, 28));
    }

    /** The tiny encoder with the native blocks. */
    public static Encoder nativeEncoder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return Encoder.of(new Sequential(
                new Conv2d(1, 16, 3, 2, 1, true, DataType.FLOAT, r), new ReLU(),
                new Conv2d(16, 32, 3, 2, 1, true, DataType.FLOAT, r), new ReLU(),
                new GlobalAvgPool(), new Linear(32, 64, true, DataType.FLOAT, r)));
    }

    /** The same network as a SameDiff graph. */
    public static Encoder sameDiffEncoder(long seed) {
        SameDiff sd = SameDiff.create();
        SameDiffBlocks b = new SameDiffBlocks(sd, DataType.FLOAT, seed);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable h = b.relu(b.conv2d("c1", x, 1, 16, 3, 2, 1, true));
        h = b.relu(b.conv2d("c2", h, 16, 32, 3, 2, 1, true));
        return new SameDiffEncoder(sd, x, b.linear("fc", b.globalAvgPool(h, 4), 32, 64, true));
    }

    @Benchmark
    public StepReport step() {
        return trainer.step(views, 1);
    }
}
