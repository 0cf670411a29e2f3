package org.selfsup4j.vision.methods;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.check.ModuleGradientCheck;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.losses.MaePixelLoss;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.encoders.VisionTransformer;
import org.selfsup4j.vision.encoders.VisionTransformerConfig;
import org.selfsup4j.vision.nn.RandomPatchSelection;

class MaeTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void objective_gradientsOfEncoderAndDecoderParameters_matchFiniteDifferences() {
        // 8x8 images of 2 channels, patch 2: 16 patches, 4 kept; encoder width 8, decoder width 4
        VisionTransformer vit = new VisionTransformer(new VisionTransformerConfig(8, 2, 2, 8, 1, 2, 2), D, 1);
        RandomPatchSelection masking = new RandomPatchSelection(16, Mae.MASK_RATIO, 2);
        MaeEncoder encoder = new MaeEncoder(vit, masking);
        MaeDecoder decoder = new MaeDecoder(8, 4, 1, 2, 16, 8, D, new SplittableRandom(3));
        MaeObjective objective = new MaeObjective(encoder, decoder, 2, new MaePixelLoss());
        INDArray x = ModuleGradientCheck.gaussian(4, 2, 2, 8, 8);
        INDArray calls = encoder.buffers().get("mask.calls");
        // every evaluation draws the first masks again, so the function differentiated has fixed masks
        DoubleSupplier loss = () -> {
            calls.assign(0);
            INDArray latent = encoder.forward(x, true);
            return objective.compute(List.of(x), List.of(latent), null).loss();
        };
        List<Parameter> ps = new ArrayList<>(encoder.parameters());
        ps.addAll(objective.parameters());
        ps.forEach(Parameter::zeroGradient);
        calls.assign(0);
        INDArray latent = encoder.forward(x, true);
        encoder.backward(objective.compute(List.of(x), List.of(latent), null).embeddingGradients().get(0));
        // copied first: compute runs the decoder's backward, so the evaluations below add to its gradients
        List<INDArray> analytics = ps.stream().map(p -> p.gradient().dup()).toList();
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            INDArray analytic = analytics.get(i);
            INDArray numeric = FiniteDifferences.gradient(v -> loss.getAsDouble(), p.value());
            double e = FiniteDifferences.maxRelativeError(analytic, numeric, 1e-4);
            assertTrue(e < 1e-5, p.name() + ": relative error " + e);
        }
        assertTrue(ps.stream().anyMatch(p -> p.name().equals("decoder.mask_token")));
        assertTrue(ps.stream().anyMatch(p -> p.name().equals("backbone.pos_embed")));
    }

    @Test
    void masking_removesExactly75PercentPerImage_differentPerImage_reproducibleFromTheSeed() {
        RandomPatchSelection a = new RandomPatchSelection(64, Mae.MASK_RATIO, 7);
        a.draw(6, DataType.FLOAT);
        assertEquals(16, a.kept());
        INDArray mask = a.mask().dup();
        INDArray sel = a.selection().dup();
        int[][] kept = a.keptIndices();
        assertArrayEquals(new long[] {6, 16, 64}, sel.shape());
        for (int n = 0; n < 6; n++) {
            assertEquals(48.0, mask.getRow(n).sumNumber().doubleValue(), 0.0, "image " + n);
            for (int j = 0; j < 16; j++) {
                assertEquals(0.0, mask.getDouble(n, kept[n][j]), 0.0);
                assertEquals(1.0, sel.getDouble(n, j, kept[n][j]), 0.0);
                assertEquals(1.0, sel.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(j), org.nd4j.linalg.indexing.NDArrayIndex.all())
                        .sumNumber().doubleValue(), 0.0);
            }
            if (n > 0) {
                assertFalse(Arrays.equals(kept[n], kept[n - 1]), "images " + (n - 1) + " and " + n);
            }
        }
        RandomPatchSelection b = new RandomPatchSelection(64, Mae.MASK_RATIO, 7);
        b.draw(6, DataType.FLOAT);
        assertTrue(Arrays.deepEquals(kept, b.keptIndices()), "same seed, same masks");
        b.draw(6, DataType.FLOAT);
        assertFalse(Arrays.deepEquals(kept, b.keptIndices()), "the next draw differs");
        b.buffers().get("calls").assign(0);
        b.draw(6, DataType.FLOAT);
        assertTrue(Arrays.deepEquals(kept, b.keptIndices()), "the counter restored, the first draw again");
        assertThrows(IllegalArgumentException.class, () -> new RandomPatchSelection(4, 0.9, 1));
    }

    @Test
    void resumedFromASnapshot_drawsTheSameMasksAndLosses() {
        MethodTrainingTest.assertResumedRunRepeatsLosses("mae", VisionTransformerTrainingTest.vitConfig(4), 4);
    }

    @Test
    void assemble_convolutionalBackbone_throwsNamingTheViT() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Methods.assemble("mae", MethodTrainingTest.config(1)));
        assertTrue(e.getMessage().contains("MAE needs a ViT backbone") && e.getMessage().contains("CONVNET"),
                e.getMessage());
        MethodConfig vit = VisionTransformerTrainingTest.vitConfig(1);
        MethodConfig otherSize = new MethodConfig(vit.backbone(), 32, 1, 1e-3, 0, 0, vit.normalize());
        assertThrows(IllegalArgumentException.class, () -> Methods.assemble("mae", otherSize));
    }

    @Test
    void defaults_arePapers_adamWWithMaeBetasAndOneCropFlipView() {
        MethodOptions o = MethodOptions.defaults("mae");
        assertEquals(OptimizerSpec.Kind.ADAMW, o.optimizer().kind());
        assertEquals(0.05, o.optimizer().weightDecay());
        assertEquals(0.75, Mae.MASK_RATIO);
        assertEquals(512, Mae.PAPER_DECODER_DIM);
        assertEquals(8, Mae.PAPER_DECODER_DEPTH);
        assertEquals(16, Mae.PAPER_DECODER_HEADS);
        assertEquals(1.5e-4 * 4096 / 256, Mae.learningRate(4096), 1e-15);
        PretrainSetup s = Methods.assemble("MAE", VisionTransformerTrainingTest.vitConfig(10));
        assertEquals("mae", s.method());
        assertEquals(1, s.views().numViews());
        AdamW opt = (AdamW) s.optimizer();
        assertEquals(0.9, opt.beta1());
        assertEquals(0.95, opt.beta2());
        assertEquals(0.05, opt.weightDecay());
        assertTrue(Methods.NAMES.contains("mae"));
        assertTrue(s.encoder().buffers().containsKey("mask.calls"));
    }
}
