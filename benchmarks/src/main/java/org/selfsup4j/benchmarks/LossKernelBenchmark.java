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
import org.selfsup4j.losses.DinoLoss;
import org.selfsup4j.losses.DistractorSampler;
import org.selfsup4j.losses.InfoNceLoss;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MaePixelLoss;
import org.selfsup4j.losses.MaskedPredictionResult;
import org.selfsup4j.losses.MocoV3Loss;
import org.selfsup4j.losses.NtXentLoss;
import org.selfsup4j.losses.SimSiamLoss;
import org.selfsup4j.losses.SwavLoss;
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

    /** SimSiam's symmetric negative cosine, N = 256, D = 2048 (the paper's predictor output). */
    @State(Scope.Thread)
    public static class SimSiam {
        INDArray p1 = gaussian(1, 256, 2048);
        INDArray p2 = gaussian(2, 256, 2048);
        INDArray z1 = gaussian(3, 256, 2048);
        INDArray z2 = gaussian(4, 256, 2048);
        final SimSiamLoss loss = new SimSiamLoss();
    }

    @Benchmark
    public LossResult simSiam(SimSiam s) {
        return s.loss.compute(s.p1, s.p2, s.z1, s.z2);
    }

    /** One direction of MoCo v3's ctr(q, k), N = 256, D = 256, tau 0.2; the keys' gradient not requested. */
    @State(Scope.Thread)
    public static class MocoV3 {
        INDArray q = gaussian(1, 256, 256);
        INDArray k = gaussian(2, 256, 256);
        final MocoV3Loss loss = new MocoV3Loss(MocoV3Loss.VIT_TEMPERATURE);
    }

    @Benchmark
    public LossResult mocoV3(MocoV3 s) {
        return s.loss.compute(s.q, s.k);
    }

    /** DINO, B = 256, K = 4096 (65,536 scaled down), 2 global + 6 local crops, tau_t 0.04. */
    @State(Scope.Thread)
    public static class Dino {
        INDArray student = gaussian(1, 8 * 256, 4096);
        INDArray teacher = gaussian(2, 2 * 256, 4096);
        final DinoLoss loss = new DinoLoss(4096, 8, DinoLoss.DEFAULT_STUDENT_TEMPERATURE,
                DinoLoss.DEFAULT_CENTER_MOMENTUM, DataType.FLOAT);
    }

    @Benchmark
    public LossResult dino(Dino s) {
        return s.loss.compute(s.student, s.teacher, 0.04);
    }

    /** SwAV, B = 256, K = 3000 prototypes, 2 + 6 crops, Sinkhorn 3 iterations, no queue. */
    @State(Scope.Thread)
    public static class Swav {
        INDArray scores;
        final SwavLoss loss = new SwavLoss();

        @Setup(Level.Trial)
        public void setup() {
            // unit features against unit prototypes, as SwAV's head: scores in [-1, 1]
            INDArray z = gaussian(1, 8 * 256, 128);
            INDArray c = gaussian(2, 3000, 128);
            z.diviColumnVector(z.norm2(true, 1));
            c.diviColumnVector(c.norm2(true, 1));
            scores = z.mmul(c.transpose());
        }
    }

    @Benchmark
    public LossResult swav(Swav s) {
        return s.loss.compute(s.scores);
    }

    /** MAE's normalized-pixel loss, 256 images x 49 patches x 48 values (4x4x3 patches of 28x28), 75% masked. */
    @State(Scope.Thread)
    public static class Mae {
        INDArray pred = gaussian(1, 256, 49, 48);
        INDArray target = gaussian(2, 256, 49, 48);
        INDArray mask;
        final MaePixelLoss loss = new MaePixelLoss();

        @Setup(Level.Trial)
        public void setup() {
            SplittableRandom r = new SplittableRandom(3);
            float[] m = new float[256 * 49];
            for (int i = 0; i < m.length; i++) {
                m[i] = r.nextDouble() < MaePixelLoss.DEFAULT_MASK_RATIO ? 1f : 0f;
            }
            mask = Nd4j.createFromArray(m).reshape(256, 49);
        }
    }

    @Benchmark
    public LossResult mae(Mae s) {
        return s.loss.compute(s.pred, s.target, s.mask);
    }
}
