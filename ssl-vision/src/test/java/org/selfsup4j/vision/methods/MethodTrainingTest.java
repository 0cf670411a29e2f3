package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.vision.encoders.BackboneSpec;

/** Every method trains a few steps on tiny images: finite losses that go down, weights that move. */
class MethodTrainingTest {
    static final int SIZE = 16;
    static final int BATCH = 16;

    static List<FloatImage> images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] d = new float[3 * SIZE * SIZE];
            float base = r.nextFloat();
            for (int j = 0; j < d.length; j++) {
                d[j] = Math.min(1, Math.max(0, base + 0.3f * (float) r.nextGaussian()));
            }
            out.add(new FloatImage(d, 3, SIZE, SIZE));
        }
        return out;
    }

    static MethodConfig config(long steps) {
        return new MethodConfig(new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 5), SIZE, steps,
                3e-3, 32, 16, new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "moco-v2", "byol", "vicreg", "barlow-twins", "ae", "dae", "vae"})
    void fewSteps_lossFiniteAndDecreasing_backboneMoves(String method) {
        assertFewStepsTrain(method, config(12), 12);
    }

    /**
     * Trains {@code method} on {@code cfg} for {@code steps} steps on one batch (the same views every
     * step) and asserts finite losses that fall, a backbone that moves and finite features.
     */
    static void assertFewStepsTrain(String method, MethodConfig cfg, int steps) {
        PretrainSetup setup = Methods.assemble(method, cfg);
        INDArray w0 = setup.backbone().module().parameters().get(0).value().dup();
        Trainer trainer = new Trainer(Trainer.Config.of(3, steps), setup.encoder(), setup.objective(), setup.optimizer());
        List<FloatImage> data = images(BATCH, 11);
        // The same batch (same views) every step: the loss on it must fall.
        ViewBatch batch = ImageCollate.collate(data.stream().map(im -> setup.views().views(im, 1, 0, 0)).toList(),
                new int[BATCH]);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            StepReport r = trainer.step(batch.toINDArrays(), 1);
            assertTrue(Double.isFinite(r.loss()), method + " step " + s + " loss " + r.loss());
            assertTrue(!r.skipped(), method + " skipped step " + s);
            losses.add(r.loss());
        }
        double first = losses.get(0);
        double last = losses.get(losses.size() - 1);
        assertTrue(last < first, method + ": loss went from " + first + " to " + last + " " + losses);
        assertNotEquals(w0, setup.backbone().module().parameters().get(0).value(), method + ": backbone did not move");
        INDArray f = setup.backbone().module().forward(batch.toINDArrays().get(0), false);
        assertEquals(setup.backbone().featureDim(), f.size(1));
        assertTrue(!f.isNaN().any(), method + ": NaN features");
    }

    @Test
    void denoisingAutoencoder_resumedFromASnapshot_drawsTheSameMasks() {
        assertResumedRunRepeatsLosses("dae", config(4), 4);
    }

    /**
     * Trains {@code method} {@code steps} steps on one batch, snapshots after two, restores the snapshot
     * into a fresh assembly and asserts the remaining losses repeat exactly (masks drawn again the same).
     */
    static void assertResumedRunRepeatsLosses(String method, MethodConfig cfg, int steps) {
        List<FloatImage> data = images(BATCH, 13);
        PretrainSetup a = Methods.assemble(method, cfg);
        ViewBatch batch = ImageCollate.collate(data.stream().map(im -> a.views().views(im, 1, 0, 0)).toList(),
                new int[BATCH]);
        Trainer first = new Trainer(Trainer.Config.of(3, steps), a.encoder(), a.objective(), a.optimizer());
        double[] straight = new double[steps];
        Checkpoint half = null;
        for (int s = 0; s < steps; s++) {
            if (s == 2) {
                half = first.snapshot();
            }
            straight[s] = first.step(batch.toINDArrays(), 2).loss();
        }
        PretrainSetup b = Methods.assemble(method, cfg);
        Trainer resumed = new Trainer(Trainer.Config.of(3, steps), b.encoder(), b.objective(), b.optimizer());
        resumed.restore(half);
        for (int s = 2; s < steps; s++) {
            assertEquals(straight[s], resumed.step(batch.toINDArrays(), 2).loss(), 0.0, method + " step " + s);
        }
    }

    @Test
    void assemble_unknownMethod_throwsListingNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Methods.assemble("no-such-method", config(1)));
        assertTrue(e.getMessage().contains("simclr"), e.getMessage());
    }

    @Test
    void views_countMatchesMethod() {
        assertEquals(2, Methods.assemble("simclr", config(1)).views().numViews());
        assertEquals(1, Methods.assemble("ae", config(1)).views().numViews());
    }

    @Test
    void papersDefaults_named() {
        assertEquals(0.5, SimClr.TEMPERATURE);
        assertEquals(0.2, MocoV2.TEMPERATURE);
        assertEquals(0.999, MocoV2.MOMENTUM);
        assertEquals(0.99, Byol.TAU_BASE);
        assertEquals(25.0, VicReg.LAMBDA);
        assertEquals(0.0051, BarlowTwins.LAMBDA);
    }
}
