package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Parameter;

class TrainerTest {
    private static final long SEED = 42;

    private static Trainer newTrainer(Trainer.Config config, Objective objective) {
        Encoder encoder = SmallSameDiffConvEncoder.build(SEED);
        return new Trainer(config, encoder, objective, new PlainSgd(0.05));
    }

    @Test
    void contrastive_on_sameDiffConvEncoder_lowersLossOver50Steps_withoutNaN() {
        Trainer trainer = newTrainer(Trainer.Config.of(SEED, 50), new MatchingViewsObjective(0.5));
        List<StepReport> reports = trainer.fit(new TwoViewData(8, 16, SEED));
        assertEquals(50, reports.size());
        for (StepReport r : reports) {
            assertTrue(Double.isFinite(r.loss()), "loss at step " + r.step() + " is " + r.loss());
            assertFalse(r.skipped());
            assertTrue(Double.isFinite(r.embeddingStd()) && r.embeddingStd() > 0);
        }
        double first = mean(reports.subList(0, 10));
        double last = mean(reports.subList(40, 50));
        // ln N = ln(16) = 2.77 is chance level for N = 16
        assertTrue(last < first - 0.2, "loss should fall: first 10 steps " + first + ", last 10 " + last);
    }

    @Test
    void resume_fromStep10Checkpoint_reproducesSteps11to20BitIdentically(@TempDir Path dir) throws Exception {
        TwoViewData data = new TwoViewData(8, 16, SEED);
        Trainer original = newTrainer(Trainer.Config.of(SEED, 20).withCheckpoints(dir, 10), new MatchingViewsObjective(0.5));
        List<StepReport> full = original.fit(data);
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path step10 = store.list().stream().filter(p -> p.getFileName().toString().contains("10")).findFirst()
                .orElseThrow(() -> new AssertionError("no step-10 checkpoint among " + store.list()));

        Trainer resumed = newTrainer(Trainer.Config.of(SEED, 20), new MatchingViewsObjective(0.5));
        resumed.restore(store.load(step10));
        assertEquals(10, resumed.currentStep());
        List<StepReport> rest = resumed.fit(data);
        assertEquals(10, rest.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(Double.doubleToRawLongBits(full.get(10 + i).loss()), Double.doubleToRawLongBits(rest.get(i).loss()),
                    "loss of step " + (11 + i) + " differs: " + full.get(10 + i).loss() + " vs " + rest.get(i).loss());
        }
        Map<String, INDArray> a = original.stateArrays();
        Map<String, INDArray> b = resumed.stateArrays();
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), "final state differs at " + k);
        }
    }

    @Test
    void resume_nativeEncoderWithBatchNormAndAdam_reproducesLossesBitIdentically(@TempDir Path dir) throws Exception {
        TwoViewData data = new TwoViewData(8, 16, SEED);
        Trainer original = nativeTrainer(Trainer.Config.of(SEED, 12).withCheckpoints(dir, 6));
        List<StepReport> full = original.fit(data);
        CheckpointStore store = new CheckpointStore(dir, 3);
        Trainer resumed = nativeTrainer(Trainer.Config.of(SEED, 12));
        resumed.restore(store.load(store.dir().resolve(CheckpointStore.fileName(6))));
        List<StepReport> rest = resumed.fit(data);
        for (int i = 0; i < 6; i++) {
            assertEquals(Double.doubleToRawLongBits(full.get(6 + i).loss()), Double.doubleToRawLongBits(rest.get(i).loss()),
                    "loss of step " + (7 + i));
        }
        assertTrue(full.get(11).loss() < full.get(0).loss(), "loss should fall with Adam: " + full.get(0).loss()
                + " -> " + full.get(11).loss());
        Map<String, INDArray> a = original.stateArrays();
        Map<String, INDArray> b = resumed.stateArrays();
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("optimizer/")), "Adam moments are checkpointed");
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("buffer/")), "BN running stats are checkpointed");
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), "final state differs at " + k);
        }
    }

    private static Trainer nativeTrainer(Trainer.Config config) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(SEED);
        org.nd4j.linalg.api.buffer.DataType f = org.nd4j.linalg.api.buffer.DataType.FLOAT;
        Encoder encoder = Encoder.of(new org.selfsup4j.core.nn.Sequential(
                new org.selfsup4j.core.nn.Conv2d(1, 8, 3, 2, 1, false, f, rng),
                new org.selfsup4j.core.nn.BatchNorm(8),
                new org.selfsup4j.core.nn.ReLU(),
                new org.selfsup4j.core.nn.Conv2d(8, 16, 3, 1, 1, true, f, rng),
                new org.selfsup4j.core.nn.ReLU(),
                new org.selfsup4j.core.nn.GlobalAvgPool(),
                new org.selfsup4j.core.nn.Mlp(new int[] {16, 32, 16}, true, false, false, f, rng)));
        var adam = org.selfsup4j.core.optim.Adam.builder(new org.selfsup4j.core.optim.ConstantSchedule(3e-3)).build();
        return new Trainer(config, encoder, new MatchingViewsObjective(0.5), adam);
    }

    @Test
    void nanGradient_skipsStep_andLeavesParametersBitUnchanged() {
        FaultyObjective objective = new FaultyObjective(new MatchingViewsObjective(0.5), Set.of(3L));
        Trainer trainer = newTrainer(Trainer.Config.of(SEED, 6), objective);
        TwoViewData data = new TwoViewData(8, 16, SEED);
        for (long s = 0; s < 3; s++) {
            trainer.step(data.views(s), data.stepsPerEpoch());
        }
        Map<String, INDArray> before = copies(trainer.parameters());
        StepReport skipped = trainer.step(data.views(3), data.stepsPerEpoch());
        assertTrue(skipped.skipped());
        Map<String, INDArray> after = copies(trainer.parameters());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).data().asBytes(), after.get(k).data().asBytes(), "parameter " + k + " changed");
        }
        StepReport next = trainer.step(data.views(4), data.stepsPerEpoch());
        assertFalse(next.skipped());
        assertTrue(Double.isFinite(next.loss()));
    }

    @Test
    void threeNonFiniteStepsInARow_stopTheRun_withEmergencyCheckpoint(@TempDir Path dir) throws Exception {
        FaultyObjective objective = new FaultyObjective(new MatchingViewsObjective(0.5), Set.of(2L, 3L, 4L));
        Trainer trainer = newTrainer(Trainer.Config.of(SEED, 10).withCheckpoints(dir, 0), objective);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer.fit(new TwoViewData(8, 16, SEED)));
        assertEquals(4, e.step());
        assertTrue(e.getMessage().contains("step 4"), e.getMessage());
        List<Path> files = new CheckpointStore(dir, 3).list();
        assertEquals(1, files.size(), "one emergency checkpoint expected, got " + files);
        assertTrue(Files.size(files.get(0)) > 0);
    }

    @Test
    void step_withViewsOfDifferentShapes_throws() {
        Trainer trainer = newTrainer(Trainer.Config.of(SEED, 5), new MatchingViewsObjective(0.5));
        TwoViewData data = new TwoViewData(8, 16, SEED);
        List<INDArray> views = new ArrayList<>(data.views(0));
        views.set(1, views.get(1).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.step(views, 1));
        assertTrue(e.getMessage().contains("same shape"), e.getMessage());
    }

    private static Map<String, INDArray> copies(List<Parameter> params) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (Parameter p : params) {
            m.put(p.name(), p.value().dup());
        }
        return m;
    }

    private static double mean(List<StepReport> rs) {
        return rs.stream().mapToDouble(StepReport::loss).average().orElseThrow();
    }

    /** Wraps an objective and poisons the embedding gradient with NaN on chosen steps. */
    private static final class FaultyObjective implements Objective {
        private final Objective inner;
        private final Set<Long> poisoned;

        FaultyObjective(Objective inner, Set<Long> poisoned) {
            this.inner = inner;
            this.poisoned = poisoned;
        }

        @Override
        public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
            ObjectiveOutput out = inner.compute(inputs, embeddings, context);
            if (poisoned.contains(context.step())) {
                INDArray g = out.embeddingGradients().get(0).dup();
                g.putScalar(0, Double.NaN);
                return new ObjectiveOutput(out.loss(), List.of(g, out.embeddingGradients().get(1)));
            }
            return out;
        }
    }
}
