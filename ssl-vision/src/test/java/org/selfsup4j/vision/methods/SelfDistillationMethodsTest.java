package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.core.check.ModuleGradientCheck;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.objective.DinoObjective;
import org.selfsup4j.losses.objective.MocoV3Objective;
import org.selfsup4j.losses.objective.SimSiamObjective;
import org.selfsup4j.losses.objective.SwavObjective;

/** SimSiam, MoCo v3, DINO and SwAV assembled by name: their recipes, a few training steps, DINO's resume. */
class SelfDistillationMethodsTest {
    private static final int BATCH = 8;

    /**
     * Small K, 2 local crops and a short queue, so each step is quick; Adam, whose first steps move
     * the weights visibly at the test's rate (LARS's trust ratio makes them tiny).
     */
    private static MethodOptions tiny(String method) {
        return Knobs.of(method, Map.of("prototypes", 24, "localCrops", method.equals("dino") || method.equals("swav")
                ? 2 : 0, "queueSize", 12, "optimizer", OptimizerSpec.defaults(OptimizerSpec.Kind.ADAM)));
    }

    private static ViewBatch batch(PretrainSetup s, long seed) {
        List<FloatImage> data = MethodTrainingTest.images(BATCH, 11);
        return ImageCollate.collate(data.stream().map(im -> s.views().views(im, seed, 0, 0)).toList(), new int[BATCH]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simsiam", "moco-v3", "dino", "swav"})
    void fewSteps_finiteAndNotSkipped_backboneMoves(String method) {
        int steps = 3;
        PretrainSetup s = Methods.assemble(method, MethodTrainingTest.config(steps), tiny(method));
        assertEquals(method, s.method());
        INDArray w0 = s.backbone().module().parameters().get(0).value().dup();
        Trainer t = new Trainer(Trainer.Config.of(3, steps), s.encoder(), s.objective(), s.optimizer());
        for (int i = 0; i < steps; i++) {
            StepReport r = t.step(batch(s, i).toINDArrays(), 1);
            assertTrue(Double.isFinite(r.loss()) && !r.skipped(), method + " step " + i + ": " + r.loss());
        }
        assertNotEquals(w0, s.backbone().module().parameters().get(0).value(), method + ": backbone did not move");
    }

    @Test
    void assemble_byName_givesEachMethodsObjectiveAndCropCount() {
        MethodConfig cfg = MethodTrainingTest.config(4);
        assertInstanceOf(SimSiamObjective.class, Methods.assemble("simsiam", cfg, tiny("simsiam")).objective());
        assertInstanceOf(MocoV3Objective.class, Methods.assemble("mocov3", cfg, tiny("moco-v3")).objective());
        PretrainSetup dino = Methods.assemble("dino", cfg, tiny("dino"));
        assertInstanceOf(DinoObjective.class, dino.objective());
        assertEquals(4, dino.views().numViews());
        PretrainSetup swav = Methods.assemble("SWAV", cfg, tiny("swav"));
        assertInstanceOf(SwavObjective.class, swav.objective());
        assertEquals(List.of(24L, 16L), List.of(swav.objective().parameters().get(0).value().size(0),
                swav.objective().parameters().get(0).value().size(1)), "K prototypes of the projection width");
        // the local crops at 3/7 of the 16-px side
        assertArrayEquals(new int[] {BATCH, 3, 7, 7}, batch(dino, 1).shapes().get(3));
    }

    @Test
    void defaults_areThePapersRecipes() {
        MethodOptions simsiam = MethodOptions.defaults("simsiam");
        assertEquals(OptimizerSpec.Kind.SGD, simsiam.optimizer().kind());
        assertEquals(1e-4, simsiam.optimizer().weightDecay());
        assertEquals(0.9, simsiam.optimizer().momentum());
        assertEquals(0.05 * 512 / 256, MethodOptions.defaultLearningRate("simsiam", OptimizerSpec.Kind.SGD, 512), 1e-15);
        assertEquals(ViewRecipe.MOCO_V2, simsiam.views());

        MethodOptions moco = MethodOptions.defaults("moco-v3");
        assertEquals(OptimizerSpec.Kind.LARS, moco.optimizer().kind());
        assertEquals(List.of(0.2, 0.99, 1.0), List.of(moco.temperature(), moco.momentumBase(), moco.momentumFinal()));
        assertEquals(ViewRecipe.BYOL, moco.views());

        MethodOptions dino = MethodOptions.defaults("dino");
        assertEquals(OptimizerSpec.Kind.ADAMW, dino.optimizer().kind());
        assertEquals(0.04, dino.optimizer().weightDecay());
        assertEquals(5e-4, MethodOptions.defaultLearningRate("dino", OptimizerSpec.Kind.ADAMW, 256), 1e-15);
        assertEquals(List.of(0.1, 0.04, 0.07, 0.996), List.of(dino.temperature(), dino.teacherTemperatureStart(),
                dino.teacherTemperatureEnd(), dino.momentumBase()));
        assertEquals(30, dino.teacherWarmupEpochs());
        assertEquals(8, dino.localCrops());
        assertEquals(CropScales.DINO, dino.cropScales());
        assertEquals(0.4, dino.viewSpecs(32).get(0).scaleMin());
        assertEquals(0.05, dino.viewSpecs(32).get(9).scaleMin());

        MethodOptions swav = MethodOptions.defaults("swav");
        assertEquals(OptimizerSpec.Kind.LARS, swav.optimizer().kind());
        assertEquals(List.of(6, 3840, 3000), List.of(swav.localCrops(), swav.queueSize(), swav.prototypes()));
        assertEquals(0.1, swav.temperature());
        assertEquals(CropScales.SWAV, swav.cropScales());
        assertEquals(0.14, swav.viewSpecs(32).get(0).scaleMin());
        assertEquals(14, swav.localSide(32), "SwAV's 96 of 224");
        assertEquals(ViewRecipe.SIMCLR, swav.views());
    }

    /** The losses of steps {@code [from, to)} of {@code t}, each on its step's views of {@code s}. */
    private static List<Double> losses(Trainer t, PretrainSetup s, int from, int to) {
        List<Double> out = new java.util.ArrayList<>();
        for (int step = from; step < to; step++) {
            out.add(t.step(batch(s, step).toINDArrays(), 2).loss());
        }
        return out;
    }

    @Test
    void dino_resumedFromASnapshot_continuesBitForBit() {
        MethodConfig cfg = MethodTrainingTest.config(4);
        PretrainSetup a = Methods.assemble("dino", cfg, tiny("dino"));
        Trainer first = new Trainer(Trainer.Config.of(3, 4), a.encoder(), a.objective(), a.optimizer());
        losses(first, a, 0, 2);
        Checkpoint half = first.snapshot();
        List<Double> straight = losses(first, a, 2, 4);
        assertTrue(half.arrays().containsKey("objective/center"), half.arrays().keySet().toString());

        PretrainSetup b = Methods.assemble("dino", cfg, tiny("dino"));
        Trainer resumed = new Trainer(Trainer.Config.of(3, 4), b.encoder(), b.objective(), b.optimizer());
        resumed.restore(half);
        assertEquals(straight, losses(resumed, b, 2, 4), "the resumed losses, exactly");
        Map<String, INDArray> x = first.stateArrays();
        Map<String, INDArray> y = resumed.stateArrays();
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).dup().data().asDouble(), y.get(k).dup().data().asDouble(), 0.0, k);
        }
    }

    @Test
    void dinoHead_gradientsMatchFiniteDifferences() {
        DinoHead head = new DinoHead(5, 6, 4, 7, DataType.DOUBLE, new SplittableRandom(3));
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(head, ModuleGradientCheck.gaussian(4, 3, 5), true);
        assertTrue(r.passes(1e-6), r.toString());
        assertEquals(List.of("mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias", "mlp.4.weight", "mlp.4.bias",
                "last.weight_v"), head.parameters().stream().map(p -> p.name()).toList());
    }
}
