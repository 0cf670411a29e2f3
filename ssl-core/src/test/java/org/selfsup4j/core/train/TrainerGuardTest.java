package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.LearningRateSchedule;

/** The NaN guard restores everything a skipped step touched; the divergence monitor warns and stops. */
class TrainerGuardTest {
    private static final long SEED = 42;
    private static final int DIM = 16;
    private static final long BAD_STEP = 3;

    private static Encoder encoder(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DataType f = DataType.FLOAT;
        return Encoder.of(new Sequential(new Conv2d(1, 8, 3, 2, 1, false, f, rng), new BatchNorm(8), new ReLU(),
                new Conv2d(8, 16, 3, 1, 1, true, f, rng), new ReLU(), new GlobalAvgPool(),
                new Mlp(new int[] {16, 32, DIM}, true, false, false, f, rng)));
    }

    /** An encoder with batch norm, a stateful objective, Adam with the given schedule. */
    private static Trainer guardedTrainer(Trainer.Config config, Set<Long> nanLoss, LearningRateSchedule lr) {
        Encoder online = encoder(SEED);
        GuardedObjective objective = new GuardedObjective(online, encoder(SEED + 1), DIM, nanLoss);
        return new Trainer(config, online, objective, Adam.builder(lr).build());
    }

    private static Map<String, byte[]> bits(Trainer trainer) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        trainer.stateArrays().forEach((k, v) -> m.put(k, v.dup().data().asBytes()));
        return m;
    }

    /** Runs steps 0..BAD_STEP-1, then BAD_STEP, and checks that every state array is bit-identical to before it. */
    private static void assertBadStepRestoresEverything(Trainer trainer, SkipReason expected) {
        TwoViewData data = new TwoViewData(8, 16, SEED);
        for (long s = 0; s < BAD_STEP; s++) {
            assertFalse(trainer.step(data.views(s), data.stepsPerEpoch()).skipped(), "step " + s);
        }
        Map<String, byte[]> before = bits(trainer);
        for (String group : List.of("param/", "buffer/encoder.", "objective/target/", "objective/decoder/1.running_",
                "objective/queue/keys", "objective/queue/pointer", "optimizer/")) {
            assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith(group)), "no state under " + group);
        }
        StepReport bad = trainer.step(data.views(BAD_STEP), data.stepsPerEpoch());
        assertTrue(bad.skipped());
        Map<String, byte[]> after = bits(trainer);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k + " changed on the skipped step");
        }
        assertEquals(List.of(new SkippedStep(BAD_STEP, expected, bad.loss())), trainer.skippedSteps());
        StepReport next = trainer.step(data.views(BAD_STEP + 1), data.stepsPerEpoch());
        assertFalse(next.skipped(), "the run goes on after the skipped step");
        assertTrue(Double.isFinite(next.loss()));
    }

    @Test
    void nanLoss_restoresParametersBuffersObjectiveStateAndMomentsBitIdentically() {
        Trainer trainer = guardedTrainer(Trainer.Config.of(SEED, 10), Set.of(BAD_STEP), s -> 1e-3);
        assertBadStepRestoresEverything(trainer, SkipReason.NON_FINITE_LOSS);
    }

    @Test
    void updateThatOverflowsParameters_withFiniteLoss_isSkippedAndRestored() {
        // a learning rate of 1e39 overflows float32: finite loss and gradients, infinite parameters after the update
        Trainer trainer = guardedTrainer(Trainer.Config.of(SEED, 10), Set.of(), s -> s == BAD_STEP ? 1e39 : 1e-3);
        assertBadStepRestoresEverything(trainer, SkipReason.NON_FINITE_PARAMETERS);
    }

    @Test
    void lossAtChanceForPatienceSteps_warnsOnce_andRunFinishes() {
        DivergenceMonitor.Config monitor = DivergenceMonitor.Config.defaults().withPatience(3);
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 8).withDivergence(monitor), encoder(SEED),
                new ChanceObjective(), new PlainSgd(0.05));
        trainer.fit(new TwoViewData(8, 16, SEED));
        assertEquals(1, trainer.warnings().size(), "one warning per episode, got " + trainer.warnings());
        DivergenceWarning w = trainer.warnings().get(0);
        assertEquals(DivergenceWarning.Kind.LOSS_AT_CHANCE, w.kind());
        assertEquals(2, w.step());
        assertTrue(w.message().contains("chance"), w.message());
    }

    @Test
    void lossAtChance_withStopOnDivergence_stopsWithReadableCheckpoint(@TempDir Path dir) throws Exception {
        DivergenceMonitor.Config monitor = DivergenceMonitor.Config.defaults().withPatience(3).withStopOnDivergence(true);
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 20).withCheckpoints(dir, 0).withDivergence(monitor),
                encoder(SEED), new ChanceObjective(), new PlainSgd(0.05));
        DivergenceException e = assertThrows(DivergenceException.class, () -> trainer.fit(new TwoViewData(8, 16, SEED)));
        assertEquals(2, e.step());
        assertEquals(DivergenceWarning.Kind.LOSS_AT_CHANCE, e.warning().kind());
        assertNotNull(e.checkpoint());
        assertTrue(e.getMessage().contains("chance"), e.getMessage());
        Trainer fresh = new Trainer(Trainer.Config.of(SEED, 20), encoder(SEED + 5), new ChanceObjective(), new PlainSgd(0.05));
        fresh.restore(new CheckpointStore(dir, 3).load(e.checkpoint()));
        assertEquals(3, fresh.currentStep());
        Map<String, INDArray> a = trainer.stateArrays();
        Map<String, INDArray> b = fresh.stateArrays();
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), "checkpointed state differs at " + k);
        }
    }

    @Test
    void batchNormRunningVarianceBeyondBound_warnsNamingTheBuffer() {
        DivergenceMonitor.Config monitor = DivergenceMonitor.Config.defaults().withPatience(2).withChanceTolerance(Double.NaN)
                .withMinEmbeddingStd(0);
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 4).withDivergence(monitor), encoder(SEED),
                new MatchingViewsObjective(0.5), new PlainSgd(0.05));
        TwoViewData data = new TwoViewData(8, 16, SEED);
        // inputs of magnitude 1e6: the first conv's outputs have variance ~1e12, far past the default bound 1e8
        trainer.fit(new BatchSource() {
            @Override
            public List<INDArray> views(long step) {
                return data.views(step).stream().map(v -> v.mul(1e6)).toList();
            }

            @Override
            public long stepsPerEpoch() {
                return data.stepsPerEpoch();
            }
        });
        assertEquals(1, trainer.warnings().size(), trainer.warnings().toString());
        DivergenceWarning w = trainer.warnings().get(0);
        assertEquals(DivergenceWarning.Kind.BUFFER_BEYOND_BOUND, w.kind());
        assertEquals(1, w.step());
        assertTrue(w.message().contains("running_var"), w.message());
        assertTrue(trainer.skippedSteps().isEmpty());
    }

    /** A loss pinned at its chance value with zero gradients: a run that has stopped learning. */
    private static final class ChanceObjective implements Objective {
        @Override
        public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
            return new ObjectiveOutput(chanceLoss(embeddings.get(0).size(0)),
                    List.of(Nd4j.zerosLike(embeddings.get(0)), Nd4j.zerosLike(embeddings.get(1))));
        }

        @Override
        public double chanceLoss(long batchSize) {
            return Math.log(2.0 * batchSize - 1);
        }
    }
}
