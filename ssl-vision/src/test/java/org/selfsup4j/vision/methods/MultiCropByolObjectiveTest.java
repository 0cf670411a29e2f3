package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.losses.ByolLoss;
import org.selfsup4j.losses.objective.ByolObjective;

/** BYOL multi-crop: the predictor on every crop against the target's global crops. */
class MultiCropByolObjectiveTest {
    private static final StepContext CTX = new StepContext(0, 10, 0, 1);
    private static final int N = 5;

    /** online and target: the same linear map of [N, 6] inputs; predictor: a linear map of [N, 4]. */
    private static Linear net(long seed, int in, int out) {
        return new Linear(in, out, true, DataType.DOUBLE, new SplittableRandom(seed));
    }

    private static List<INDArray> arrays(int v, int d, long seed) {
        List<INDArray> out = new ArrayList<>();
        for (int c = 0; c < v; c++) {
            Nd4j.getRandom().setSeed(seed + c);
            out.add(Nd4j.randn(DataType.DOUBLE, N, d));
        }
        return out;
    }

    private static MultiCropByolObjective multiCrop() {
        return new MultiCropByolObjective(net(1, 6, 4), net(2, 6, 4), net(3, 4, 4),
                new CosineMomentumSchedule(0.99, 1.0, 10));
    }

    @Test
    void twoCrops_equalByolObjectiveInValueAndGradient() {
        List<INDArray> x = arrays(2, 6, 10);
        List<INDArray> e = arrays(2, 4, 20);
        ObjectiveOutput multi = multiCrop().compute(x, e, CTX);
        ObjectiveOutput byol = new ByolObjective(net(1, 6, 4), net(2, 6, 4), net(3, 4, 4),
                new CosineMomentumSchedule(0.99, 1.0, 10)).compute(x, e, CTX);
        assertEquals(byol.loss(), multi.loss(), 1e-14);
        for (int c = 0; c < 2; c++) {
            assertArrayEquals(byol.embeddingGradients().get(c).dup().data().asDouble(),
                    multi.embeddingGradients().get(c).dup().data().asDouble(), 1e-14, "crop " + c);
        }
    }

    @Test
    void fourCrops_sumEveryCropsPredictionAgainstTheOtherGlobalTargets() {
        List<INDArray> x = arrays(4, 6, 30);
        List<INDArray> e = arrays(4, 4, 40);
        ObjectiveOutput out = multiCrop().compute(x, e, CTX);
        // the target starts as the online copy (net 1); the predictor is net 3
        Linear target = net(1, 6, 4);
        Linear predictor = net(3, 4, 4);
        ByolLoss l = new ByolLoss();
        double expected = 0;
        for (int g = 0; g < 2; g++) {
            INDArray z = target.forward(x.get(g), true).dup();
            for (int c = 0; c < 4; c++) {
                if (c != g) {
                    expected += l.compute(predictor.forward(e.get(c), true).dup(), z).value();
                }
            }
        }
        assertEquals(expected, out.loss(), 1e-12);
        // local crop 3 regresses both global targets; its gradient against central differences
        INDArray analytic = out.embeddingGradients().get(3).dup();
        MultiCropByolObjective probe = multiCrop();
        INDArray numeric = FiniteDifferences.gradient(v -> {
            List<INDArray> moved = new ArrayList<>(e);
            moved.set(3, v);
            return probe.compute(x, moved, CTX).loss();
        }, e.get(3).dup());
        assertTrue(FiniteDifferences.maxRelativeError(analytic, numeric, 1e-7) < 1e-6, analytic + " vs " + numeric);
    }

    @Test
    void byolWithLocalCrops_trainsOnOwnSizeLocalViews() {
        int steps = 4;
        MethodConfig cfg = MethodTrainingTest.config(steps);
        PretrainSetup s = Methods.assemble("byol", cfg, Knobs.of("byol", Map.of("localCrops", 2, "localSize", 8)));
        assertInstanceOf(MultiCropByolObjective.class, s.objective());
        Trainer t = new Trainer(Trainer.Config.of(3, steps), s.encoder(), s.objective(), s.optimizer());
        ViewBatch batch = ImageCollate.collate(MethodTrainingTest.images(16, 1).stream()
                .map(im -> s.views().views(im, 1, 0, 0)).toList(), new int[16]);
        assertArrayEquals(new int[] {16, cfg.backbone().inChannels(), 8, 8}, batch.shapes().get(3));
        for (int i = 0; i < steps; i++) {
            StepReport r = t.step(batch.toINDArrays(), 1);
            assertTrue(Double.isFinite(r.loss()) && !r.skipped(), "step " + i + ": " + r.loss());
        }
    }
}
