package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.core.optim.Lars;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.BarlowTwinsLoss;
import org.selfsup4j.losses.MultiCropNtXentLoss;
import org.selfsup4j.losses.NtXentLoss;
import org.selfsup4j.losses.VicRegLoss;

/** Every option of {@link MethodOptions} reaches the optimizer, the objective or the views it names. */
class MethodOptionsTest {
    private static final StepContext CTX = new StepContext(0, 10, 0, 1);

    private static List<INDArray> embeddings(int n, int d, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return List.of(Nd4j.randn(DataType.FLOAT, n, d), Nd4j.randn(DataType.FLOAT, n, d));
    }

    @Test
    void defaults_areTheMethodsConstants_andAdamAsBefore() {
        MethodOptions s = MethodOptions.defaults("simclr");
        assertEquals(SimClr.TEMPERATURE, s.temperature());
        assertEquals(OptimizerSpec.Kind.ADAM, s.optimizer().kind());
        assertEquals(MethodConfig.WEIGHT_DECAY, s.optimizer().weightDecay());
        MethodOptions m = MethodOptions.defaults("moco-v2");
        assertEquals(MocoV2.TEMPERATURE, m.temperature());
        assertEquals(MocoV2.DEFAULT_QUEUE, m.queueSize());
        assertEquals(MocoV2.MOMENTUM_BASE, m.momentumBase());
        assertEquals(MocoV2.MOMENTUM, m.momentumFinal());
        MethodOptions b = MethodOptions.defaults("byol");
        assertEquals(Byol.TAU_BASE, b.momentumBase());
        assertEquals(1.0, b.momentumFinal());
        assertEquals(1.0, b.predictorLrScale());
        Adam adam = assertInstanceOf(Adam.class, Methods.assemble("vicreg", MethodTrainingTest.config(20)).optimizer());
        assertEquals(MethodConfig.WEIGHT_DECAY, adam.weightDecay());
        assertEquals(new WarmupCosineSchedule(3e-3, 1, 20, 0), adam.schedule());
    }

    @Test
    void optimizer_eachKindWithItsSettingsOnTheWarmupCosineSchedule() {
        MethodConfig cfg = MethodTrainingTest.config(100);
        OptimizerSpec lars = OptimizerSpec.defaults(OptimizerSpec.Kind.LARS).withTrustCoefficient(0.02)
                .withMomentum(0.8).withWeightDecay(1.5e-6);
        Lars l = assertInstanceOf(Lars.class, Methods.assemble("byol", cfg,
                Knobs.of("byol", Map.of("optimizer", lars))).optimizer());
        assertEquals(0.02, l.eta());
        assertEquals(0.8, l.momentum());
        assertEquals(1.5e-6, l.weightDecay());
        assertEquals(new WarmupCosineSchedule(3e-3, 5, 100, 0), l.schedule());
        Sgd sgd = assertInstanceOf(Sgd.class, Methods.assemble("moco-v2", cfg, Knobs.of("moco-v2",
                Map.of("optimizer", OptimizerSpec.defaults(OptimizerSpec.Kind.SGD)))).optimizer());
        assertEquals(0.9, sgd.momentum());
        assertEquals(1e-4, sgd.weightDecay());
        AdamW w = assertInstanceOf(AdamW.class, Methods.assemble("ae", cfg, Knobs.of("ae",
                Map.of("optimizer", OptimizerSpec.defaults(OptimizerSpec.Kind.ADAMW)))).optimizer());
        assertEquals(Adam.WeightDecayMode.DECOUPLED, w.weightDecayMode());
        assertEquals(0.3, OptimizerSpec.defaultLearningRate(OptimizerSpec.Kind.LARS, 256), 1e-12);
        assertEquals(0.015, OptimizerSpec.defaultLearningRate(OptimizerSpec.Kind.SGD, 128), 1e-12);
    }

    @Test
    void lars_decaysWeightsButNotBiasesOrBatchNorm() {
        OptimizerSpec lars = OptimizerSpec.defaults(OptimizerSpec.Kind.LARS).withWeightDecay(0.1);
        PretrainSetup s = Methods.assemble("simclr", MethodTrainingTest.config(10),
                Knobs.of("simclr", Map.of("optimizer", lars)));
        List<org.selfsup4j.core.nn.Parameter> ps = s.encoder().parameters();
        List<INDArray> before = ps.stream().map(p -> p.value().dup()).toList();
        // zero gradients: only the decay (trust ratio 1 with a zero gradient) can move a parameter
        ps.forEach(org.selfsup4j.core.nn.Parameter::zeroGradient);
        s.optimizer().step(ps, 5);
        int decayed = 0;
        int kept = 0;
        for (int i = 0; i < ps.size(); i++) {
            boolean moved = !before.get(i).equals(ps.get(i).value());
            assertEquals(ps.get(i).weightDecay(), moved, ps.get(i).name());
            decayed += moved ? 1 : 0;
            kept += moved ? 0 : 1;
        }
        assertTrue(decayed > 0 && kept > 0, decayed + " decayed, " + kept + " kept");
        assertTrue(ps.stream().filter(p -> p.name().endsWith("bias")).noneMatch(
                org.selfsup4j.core.nn.Parameter::weightDecay));
    }

    @Test
    void temperature_reachesSimclrsLoss() {
        PretrainSetup s = Methods.assemble("simclr", MethodTrainingTest.config(1),
                Knobs.of("simclr", Map.of("temperature", 0.3)));
        List<INDArray> z = embeddings(8, 16, 1);
        assertEquals(new NtXentLoss(0.3).compute(z.get(0), z.get(1)).value(),
                s.objective().compute(z, z, CTX).loss(), 1e-6);
    }

    @Test
    void vicregWeightsAndBarlowLambda_reachTheirLosses() {
        List<INDArray> z = embeddings(8, 16, 2);
        PretrainSetup v = Methods.assemble("vicreg", MethodTrainingTest.config(1),
                Knobs.of("vicreg", Map.of("vicregSim", 5, "vicregVar", 7, "vicregCov", 3)));
        assertEquals(new VicRegLoss(5, 7, 3, VicRegLoss.DEFAULT_EPS).compute(z.get(0), z.get(1)).value(),
                v.objective().compute(z, z, CTX).loss(), 1e-5);
        PretrainSetup b = Methods.assemble("barlow-twins", MethodTrainingTest.config(1),
                Knobs.of("barlow-twins", Map.of("barlowLambda", 0.02)));
        assertEquals(new BarlowTwinsLoss(0.02).compute(z.get(0), z.get(1)).value(),
                b.objective().compute(z, z, CTX).loss(), 1e-5);
    }

    @Test
    void queueSizeAndMomentum_reachMoco() {
        MethodConfig cfg = MethodTrainingTest.config(10);
        MethodOptions o = Knobs.of("moco-v2", Map.of("queueSize", 64, "momentumBase", 0.9, "momentumFinal", 0.95));
        PretrainSetup s = Methods.assemble("moco-v2", cfg, o);
        assertEquals(64, s.objective().state().get("queue/keys").size(0));
        assertEquals(Math.log(65), s.objective().chanceLoss(16), 1e-12);
        assertEquals(new CosineMomentumSchedule(0.9, 0.95, 10), Assembly.emaSchedule(cfg, o));
    }

    @Test
    void byolMomentumAndPredictorLr_reachTheObjectiveAndTheOptimizer() {
        MethodConfig cfg = MethodTrainingTest.config(10);
        PretrainSetup s = Methods.assemble("byol", cfg,
                Knobs.of("byol", Map.of("momentumBase", 0.9, "predictorLrScale", 10)));
        PredictorScaledOptimizer opt = assertInstanceOf(PredictorScaledOptimizer.class, s.optimizer());
        assertEquals(10, opt.scale());
        Trainer t = new Trainer(Trainer.Config.of(3, 10), s.encoder(), s.objective(), s.optimizer());
        ViewBatch batch = ImageCollate.collate(MethodTrainingTest.images(8, 1).stream()
                .map(im -> s.views().views(im, 1, 0, 0)).toList(), new int[8]);
        StepReport r = t.step(batch.toINDArrays(), 1);
        assertEquals(0.9, r.metrics().get("tau"), 1e-12);
        assertTrue(Double.isFinite(r.loss()));
        // the predictor's moments are in the checkpointed state beside the encoder's
        long predictorSlots = t.stateArrays().keySet().stream()
                .filter(k -> k.startsWith("optimizer/" + PredictorScaledOptimizer.PREDICTOR_PREFIX)).count();
        assertTrue(predictorSlots > 0, t.stateArrays().keySet().toString());
    }

    @Test
    void predictorLr_movesThePredictorFasterThanTheBaseRate() {
        MethodConfig cfg = MethodTrainingTest.config(10);
        double[] moved = new double[2];
        double[] scales = {1, 10};
        for (int i = 0; i < 2; i++) {
            double scale = scales[i];
            PretrainSetup s = Methods.assemble("byol", cfg, Knobs.of("byol",
                    Map.of("predictorLrScale", scale)));
            INDArray w0 = s.objective().parameters().get(0).value().dup();
            Trainer t = new Trainer(Trainer.Config.of(3, 10), s.encoder(), s.objective(), s.optimizer());
            ViewBatch batch = ImageCollate.collate(MethodTrainingTest.images(8, 1).stream()
                    .map(im -> s.views().views(im, 1, 0, 0)).toList(), new int[8]);
            t.step(batch.toINDArrays(), 1);
            t.step(batch.toINDArrays(), 1);
            moved[i] = s.objective().parameters().get(0).value().sub(w0).norm2Number().doubleValue();
        }
        assertTrue(moved[1] > 3 * moved[0], "predictor moved " + moved[0] + " at 1x, " + moved[1] + " at 10x");
    }

    @Test
    void multiCrop_simclrTrainsOnGlobalAndLocalViews() {
        int steps = 6;
        MethodConfig cfg = MethodTrainingTest.config(steps);
        PretrainSetup s = Methods.assemble("simclr", cfg,
                Knobs.of("simclr", Map.of("localCrops", 2, "localSize", 8)));
        assertEquals(4, s.views().numViews());
        assertInstanceOf(MultiCropObjective.class, s.objective());
        Trainer t = new Trainer(Trainer.Config.of(3, steps), s.encoder(), s.objective(), s.optimizer());
        ViewBatch batch = ImageCollate.collate(MethodTrainingTest.images(16, 1).stream()
                .map(im -> s.views().views(im, 1, 0, 0)).toList(), new int[16]);
        assertEquals(4, batch.toINDArrays().size());
        // the local crops keep their own side: no resize up to the global one
        assertArrayEquals(new int[] {16, cfg.backbone().inChannels(), cfg.imageSize(), cfg.imageSize()},
                batch.shapes().get(1));
        assertArrayEquals(new int[] {16, cfg.backbone().inChannels(), 8, 8}, batch.shapes().get(2));
        assertArrayEquals(new int[] {16, cfg.backbone().inChannels(), 8, 8}, batch.shapes().get(3));
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            StepReport r = t.step(batch.toINDArrays(), 1);
            assertTrue(Double.isFinite(r.loss()) && !r.skipped(), "step " + i + ": " + r.loss());
            assertTrue(r.metrics().containsKey("local_anchors_mean"));
            losses.add(r.loss());
        }
        assertTrue(losses.get(steps - 1) < losses.get(0), losses.toString());
    }

    @Test
    void multiCropObjective_isOneNtXentOverAllCrops_andReportsGlobalAndLocalAnchors() {
        Nd4j.getRandom().setSeed(4);
        List<INDArray> z = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            z.add(Nd4j.randn(DataType.DOUBLE, 6, 5));
        }
        var expected = new MultiCropNtXentLoss(0.5).compute(z);
        MultiCropObjective objective = new MultiCropObjective(0.5);
        var out = objective.compute(z, z, CTX);
        assertEquals(expected.value(), out.loss(), 0.0);
        for (int c = 0; c < 4; c++) {
            assertEquals(expected.gradient(c), out.embeddingGradients().get(c), "crop " + c);
        }
        // the loss is the crops' mean: 2 global and 2 local anchors weigh equally here
        double global = out.metrics().get("global_anchors_mean");
        double local = out.metrics().get("local_anchors_mean");
        assertEquals(out.loss(), (global + local) / 2, 1e-12);
        assertNotEquals(global, local);
        assertEquals(Math.log((4 * 6 - 1) / 3.0), objective.chanceLoss(6), 1e-12);
        var two = new MultiCropObjective(0.5).compute(z.subList(0, 2), z.subList(0, 2), CTX);
        assertEquals(new NtXentLoss(0.5).compute(z.get(0), z.get(1)).value(), two.loss(), 1e-12);
    }

    @Test
    void badOptions_refusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.of("moco-v2", Map.of("momentumFinal", 0.9)));
        assertTrue(e.getMessage().contains("momentumBase"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Knobs.of("simclr", Map.of("temperature", 0)));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.parse("rmsprop"));
        assertTrue(e.getMessage().contains("lars"), e.getMessage());
    }
}
