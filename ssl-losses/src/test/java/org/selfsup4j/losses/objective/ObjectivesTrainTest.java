package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.ConstantMomentum;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.InfoNceLoss;
import org.selfsup4j.losses.MocoQueue;

/**
 * Every objective trains a small encoder through the {@link Trainer}: the loss goes down over a few
 * dozen steps and nothing is NaN. Learning quality is judged on real data in the examples.
 */
class ObjectivesTrainTest {
    private static final int IN = 12;
    private static final int EMB = 16;
    private static final int BATCH = 32;
    private static final int STEPS = 40;
    private static final long SEED = 5;

    /** Two noisy views of prototype vectors: a function of (seed, step). */
    private static final BatchSource DATA = new BatchSource() {
        private final INDArray prototypes = gaussian(new SplittableRandom(SEED), 10, IN);

        @Override
        public List<INDArray> views(long step) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(SEED, step));
            INDArray a = Nd4j.create(DataType.FLOAT, BATCH, IN);
            INDArray b = Nd4j.create(DataType.FLOAT, BATCH, IN);
            for (int i = 0; i < BATCH; i++) {
                int p = r.nextInt(10);
                for (int j = 0; j < IN; j++) {
                    double v = prototypes.getDouble(p, j);
                    a.putScalar(i, j, v + 0.4 * r.nextGaussian());
                    b.putScalar(i, j, v + 0.4 * r.nextGaussian());
                }
            }
            return List.of(a, b);
        }

        @Override
        public long stepsPerEpoch() {
            return 10;
        }
    };

    private static INDArray gaussian(SplittableRandom r, long... shape) {
        INDArray a = Nd4j.create(DataType.FLOAT, shape);
        INDArray flat = a.reshape(a.length());
        for (long i = 0; i < flat.length(); i++) {
            flat.putScalar(i, r.nextGaussian());
        }
        return a;
    }

    private static Module encoder(long seed) {
        return new Mlp(new int[] {IN, 32, EMB}, true, false, false, DataType.FLOAT, new SplittableRandom(seed));
    }

    private static List<StepReport> train(Function<Module, Objective> objectiveFor, double lr) {
        Module online = encoder(SEED);
        Objective objective = objectiveFor.apply(online);
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, STEPS), Encoder.of(online), objective,
                Adam.builder(new ConstantSchedule(lr)).build());
        return trainer.fit(DATA);
    }

    private static void assertLearns(String method, List<StepReport> reports) {
        for (StepReport r : reports) {
            assertTrue(Double.isFinite(r.loss()), method + ": loss at step " + r.step() + " is " + r.loss());
            assertFalse(r.skipped(), method + ": step " + r.step() + " skipped");
        }
        int n = reports.size();
        double first = reports.subList(0, 10).stream().mapToDouble(StepReport::loss).average().orElseThrow();
        double last = reports.subList(n - 10, n).stream().mapToDouble(StepReport::loss).average().orElseThrow();
        assertTrue(last < first, method + ": loss should fall, first 10 steps " + first + ", last 10 " + last);
    }

    @Test
    void simclr_lowersLoss() {
        assertLearns("SimCLR", train(online -> new SimClrObjective(0.5), 3e-3));
    }

    @Test
    void mocoV2_withMomentumEncoderAndQueue_lowersLoss() {
        MocoQueue queue = new MocoQueue(100, EMB, DataType.FLOAT, SEED);
        List<StepReport> reports = train(online -> new MocoObjective(online, encoder(SEED + 1), queue,
                InfoNceLoss.DEFAULT_TEMPERATURE, ConstantMomentum.moco()), 3e-3);
        // The first step sees the queue's random initial keys (easy negatives: loss ~1.1); from the
        // second on the queue holds real keys and the loss restarts near ln(K + 1). Compare from there.
        assertLearns("MoCo v2", reports.subList(2, STEPS));
        // 40 steps x 64 keys wrap a queue of 100 (not a multiple of 64) many times
        assertEquals((STEPS * 2L * BATCH) % 100, queue.pointer());
    }

    @Test
    void byol_withPredictorAndEmaTarget_lowersLoss() {
        List<StepReport> reports = train(online -> new ByolObjective(online, encoder(SEED + 1),
                new Mlp(new int[] {EMB, 32, EMB}, true, true, false, DataType.FLOAT, new SplittableRandom(9)), ByolMomentumSchedule.byol(STEPS)),
                3e-3);
        assertLearns("BYOL", reports);
        assertEquals(0.996, reports.get(0).metrics().get("tau"), 1e-12);
    }

    @Test
    void vicreg_lowersLoss() {
        assertLearns("VICReg", train(online -> new VicRegObjective(), 3e-3));
    }

    @Test
    void barlowTwins_lowersLoss() {
        assertLearns("Barlow Twins", train(online -> new BarlowTwinsObjective(0.0051), 3e-3));
    }

    @Test
    void byol_targetFollowsOnlineByEma_andPredictorIsTrained() {
        Module online = encoder(SEED);
        Module target = encoder(SEED + 1);
        Module predictor = new Mlp(new int[] {EMB, 32, EMB}, true, true, false, DataType.FLOAT, new SplittableRandom(9));
        ByolObjective objective = new ByolObjective(online, target, predictor, ByolMomentumSchedule.byol(10));
        // the constructor copies the online weights into the target
        assertEquals(online.parameters().get(0).value(), target.parameters().get(0).value());
        assertFalse(objective.parameters().isEmpty());
        assertTrue(objective.parameters().get(0).name().startsWith("predictor."));
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 3), Encoder.of(online), objective,
                Adam.builder(new ConstantSchedule(1e-2)).build());
        INDArray before = target.parameters().get(0).value().dup();
        trainer.fit(DATA);
        INDArray after = target.parameters().get(0).value();
        assertFalse(before.equals(after), "the target must move towards the online network");
        assertFalse(after.equals(online.parameters().get(0).value()), "but not jump to it (tau < 1)");
    }

    @Test
    void objectives_rejectOtherThanTwoViews() {
        INDArray z = Nd4j.rand(DataType.FLOAT, 4, EMB);
        StepContext ctx = new StepContext(0, 1, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimClrObjective(0.5).compute(List.of(z, z, z), List.of(z, z, z), ctx));
        assertTrue(e.getMessage().contains("expected 2 views"), e.getMessage());
        MocoQueue queue = new MocoQueue(16, EMB + 1, DataType.FLOAT, 1);
        MocoObjective moco = new MocoObjective(encoder(1), encoder(2), queue, 0.2, ConstantMomentum.moco());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, IN);
        e = assertThrows(IllegalArgumentException.class, () -> moco.compute(List.of(x, x), List.of(z, z), ctx));
        assertTrue(e.getMessage().contains("[N, 17]"), e.getMessage());
    }
}
