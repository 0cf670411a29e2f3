package org.selfsup4j.benchmarks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.selfsup4j.losses.BarlowTwinsLoss;
import org.selfsup4j.losses.ByolLoss;
import org.selfsup4j.losses.DistractorSampler;
import org.selfsup4j.losses.InfoNceLoss;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MaskedPredictionResult;
import org.selfsup4j.losses.NtXentLoss;
import org.selfsup4j.losses.VicRegLoss;
import org.selfsup4j.losses.Wav2Vec2ContrastiveLoss;

/**
 * Forward + backward of each loss kernel in float32, inputs prepared once. The same computations
 * with PyTorch autograd: {@code benchmarks/scripts/losses_torch.py}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LossKernelBenchmark}.
 */
// jdk.incubator.vector lets the losses use the JDK's vectorized exp (see benchmarks/LOSSES.md).
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class LossKernelBenchmark extends AverageTimeBenchmark {

    static INDArray gaussian(long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        float[] data = new float[(int) a.length()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return Nd4j.createFromArray(data).reshape(shape);
    }

    /** Two views of N x D embeddings, drawn in {@code @Setup} once the subclass's parameters are set. */
    @State(Scope.Thread)
    public abstract static class ViewPair {
        INDArray z1;
        INDArray z2;

        /** The parameters N and D of the subclass. */
        abstract long[] shape();

        @Setup(Level.Trial)
        public void setup() {
            z1 = gaussian(1, shape());
            z2 = gaussian(2, shape());
        }
    }

    /** NT-Xent over N x D (SimCLR). */
    public static class NtXent extends ViewPair {
        @Param({"256", "1024", "4096"})
        int n;
        @Param({"128", "256"})
        int d;
        final NtXentLoss loss = new NtXentLoss(0.1);

        @Override
        long[] shape() {
            return new long[] {n, d};
        }
    }

    @Benchmark
    public LossResult ntXent(NtXent s) {
        return s.loss.compute(s.z1, s.z2);
    }

    /** InfoNCE with a queue of 65,536 negatives (MoCo). */
    @State(Scope.Thread)
    public static class InfoNce {
        INDArray q = gaussian(1, 256, 128);
        INDArray k = gaussian(2, 256, 128);
        INDArray negatives = gaussian(3, 65536, 128);
        final InfoNceLoss loss = new InfoNceLoss(0.2);
    }

    @Benchmark
    public LossResult infoNce(InfoNce s) {
        return s.loss.compute(s.q, s.k, s.negatives);
    }

    /** InfoNCE as MocoObjective calls it: the same inputs, the queue's rows already unit vectors. */
    public static class InfoNceQueue extends InfoNce {
        @Setup(Level.Trial)
        public void setup() {
            negatives.diviColumnVector(negatives.norm2(true, 1));
        }
    }

    @Benchmark
    public LossResult infoNceQueue(InfoNceQueue s) {
        return s.loss.compute(s.q, s.k, s.negatives, true);
    }

    /** BYOL's 2 - 2 cos. */
    @State(Scope.Thread)
    public static class Byol {
        @Param({"256", "4096"})
        int n;
        INDArray p;
        INDArray z;
        final ByolLoss loss = new ByolLoss();

        @Setup(Level.Trial)
        public void setup() {
            p = gaussian(1, n, 256);
            z = gaussian(2, n, 256);
        }
    }

    @Benchmark
    public LossResult byol(Byol s) {
        return s.loss.compute(s.p, s.z);
    }

    /** VICReg with the paper's weights. */
    public static class VicReg extends ViewPair {
        @Param({"256", "1024"})
        int n;
        @Param({"2048", "8192"})
        int d;
        final VicRegLoss loss = new VicRegLoss();

        @Override
        long[] shape() {
            return new long[] {n, d};
        }
    }

    @Benchmark
    public LossResult vicReg(VicReg s) {
        return s.loss.compute(s.z1, s.z2);
    }

    /** Barlow Twins, N = 1024, D = 8192. */
    @State(Scope.Thread)
    public static class Barlow {
        INDArray z1 = gaussian(1, 1024, 8192);
        INDArray z2 = gaussian(2, 1024, 8192);
        final BarlowTwinsLoss loss = new BarlowTwinsLoss(0.0051);
    }

    @Benchmark
    public LossResult barlowTwins(Barlow s) {
        return s.loss.compute(s.z1, s.z2);
    }

    /** wav2vec 2.0 contrastive, B = 8, T = 250, D = 256, K = 100, about half the steps masked. */
    @State(Scope.Thread)
    public static class Wav2Vec2 {
        INDArray c = gaussian(1, 8, 250, 256);
        INDArray q = gaussian(2, 8, 250, 256);
        INDArray mask;
        INDArray distractors;
        final Wav2Vec2ContrastiveLoss loss = new Wav2Vec2ContrastiveLoss(Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE);

        @Setup(Level.Trial)
        public void setup() {
            SplittableRandom r = new SplittableRandom(4);
            mask = Nd4j.create(DataType.BOOL, 8, 250);
            for (int b = 0; b < 8; b++) {
                for (int t = 0; t < 250; t++) {
                    mask.putScalar(new long[] {b, t}, r.nextDouble() < 0.5 ? 1 : 0);
                }
            }
            distractors = DistractorSampler.sample(mask, 100, new SplittableRandom(5));
        }
    }

    @Benchmark
    public MaskedPredictionResult wav2vec2Contrastive(Wav2Vec2 s) {
        return s.loss.compute(s.c, s.q, s.mask, s.distractors);
    }
}
