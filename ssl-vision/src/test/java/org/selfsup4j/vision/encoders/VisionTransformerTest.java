package org.selfsup4j.vision.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.check.ModuleGradientCheck;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

class VisionTransformerTest {
    private static final DataType D = DataType.DOUBLE;
    /** 8x8 images of 2 channels, patch 4 (4 patches), width 8, 2 blocks of 2 heads, MLP ratio 2. */
    private static final VisionTransformerConfig TINY = new VisionTransformerConfig(8, 2, 4, 8, 2, 2, 2);

    private static void assertGradientsMatch(Module m, INDArray x) {
        // floor 1e-4: attention's key bias has an exactly-zero gradient (softmax ignores it)
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(m, x, true, 1e-4, ModuleGradientCheck.DEFAULT_SEED);
        assertTrue(r.passes(1e-5), "gradient check failed: " + r);
    }

    @Test
    void forward_gradientsOfEveryParameterAndTheImage_matchFiniteDifferences() {
        VisionTransformer vit = new VisionTransformer(TINY, D, 3);
        assertGradientsMatch(vit, ModuleGradientCheck.gaussian(4, 2, 2, 8, 8));
    }

    @Test
    void encodeOfKeptPatches_gradientsMatchFiniteDifferences() {
        VisionTransformer vit = new VisionTransformer(TINY, D, 5);
        // image 0 keeps patches 3 and 1, image 1 keeps 0 and 2
        INDArray sel = Nd4j.zeros(D, 2, 2, 4);
        sel.putScalar(new long[] {0, 0, 3}, 1);
        sel.putScalar(new long[] {0, 1, 1}, 1);
        sel.putScalar(new long[] {1, 0, 0}, 1);
        sel.putScalar(new long[] {1, 1, 2}, 1);
        INDArray x = ModuleGradientCheck.gaussian(6, 2, 2, 8, 8);
        INDArray r = ModuleGradientCheck.gaussian(7, 2, 3, 8);
        // L = sum(encode(x) * R); the blocks are checked on all patches above: here what the selection
        // routes, the image and the patch embedding, class token and positions
        ToDoubleFunction<INDArray> loss = ignored -> vit.encode(x, sel, true).mul(r).sumNumber().doubleValue();
        vit.parameters().forEach(Parameter::zeroGradient);
        vit.encode(x, sel, true);
        INDArray dx = vit.backwardTokens(r).dup();
        assertTrue(FiniteDifferences.maxRelativeError(dx, FiniteDifferences.gradient(loss, x), 1e-4) < 1e-6, "dL/dx");
        List<String> routed = List.of("patch_embed.weight", "patch_embed.bias", "cls_token", "pos_embed");
        Map<String, INDArray> analytic = new java.util.HashMap<>();
        routed.forEach(name -> analytic.put(name, parameter(vit, name).gradient().dup()));
        for (String name : routed) {
            INDArray numeric = FiniteDifferences.gradient(loss, parameter(vit, name).value());
            double e = FiniteDifferences.maxRelativeError(analytic.get(name), numeric, 1e-4);
            assertTrue(e < 1e-6, name + ": relative error " + e);
        }
    }

    @Test
    void encodeOfKeptPatches_equalsTheTokensOfAViTThatOnlyHasThosePatches() {
        // the kept patches keep their own positional embeddings: zeroing the image outside patch 2 and
        // keeping only patch 2 is the same as a one-patch sequence built by hand from the parameters
        VisionTransformer vit = new VisionTransformer(TINY, D, 7);
        INDArray x = ModuleGradientCheck.gaussian(8, 1, 2, 8, 8);
        INDArray sel = Nd4j.zeros(D, 1, 1, 4);
        sel.putScalar(new long[] {0, 0, 2}, 1);
        INDArray kept = vit.encode(x, sel, false).dup();
        assertArrayEquals(new long[] {1, 2, 8}, kept.shape());
        INDArray all = vit.encode(x, null, false).dup();
        INDArray identity = Nd4j.eye(4).castTo(D).reshape(1, 4, 4);
        assertTrue(all.equalsWithEps(vit.encode(x, identity, false), 1e-12), "the identity selection is all patches");
        // with one patch, the class token attends to itself and patch 2 only: recompute by permuting
        // patches so that patch 2 comes first and keeping the first: the same tokens
        INDArray sel0 = Nd4j.zeros(D, 1, 1, 4);
        sel0.putScalar(new long[] {0, 0, 0}, 1);
        INDArray swapped = x.dup();
        // patch 0 is rows 0-3, cols 0-3; patch 2 is rows 4-7, cols 0-3
        INDArray p0 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 4));
        INDArray p2 = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.interval(0, 4));
        swapped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.interval(0, 4)).assign(p2);
        swapped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(4, 8), NDArrayIndex.interval(0, 4)).assign(p0);
        INDArray pos = parameter(vit, "pos_embed").value();
        INDArray saved = pos.dup();
        pos.getRow(1).assign(saved.getRow(3));
        pos.getRow(3).assign(saved.getRow(1));
        INDArray viaSwap = vit.encode(swapped, sel0, false).dup();
        pos.assign(saved);
        assertTrue(kept.equalsWithEps(viaSwap, 1e-12), "expected " + kept + " got " + viaSwap);
        assertFalse(kept.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all())
                .equalsWithEps(all.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.all()), 1e-6),
                "the class token's output depends on which patches it sees");
    }

    @Test
    void float32Forward_equalsFloat64Forward_withinFloatRounding() {
        INDArray x = ModuleGradientCheck.gaussian(9, 3, 2, 8, 8);
        INDArray y64 = new VisionTransformer(TINY, D, 11).forward(x, false).dup();
        INDArray y32 = new VisionTransformer(TINY, DataType.FLOAT, 11).forward(x.castTo(DataType.FLOAT), false)
                .castTo(D);
        double err = y32.sub(y64).norm2Number().doubleValue() / y64.norm2Number().doubleValue();
        assertTrue(err < 1e-5, "relative difference " + err);
        assertTrue(err > 0, "the float32 run really ran in float32");
    }

    @Test
    void sameSeed_bitIdenticalWeightsAndOutputs_otherSeed_different() {
        INDArray x = ModuleGradientCheck.gaussian(12, 2, 2, 8, 8).castTo(DataType.FLOAT);
        VisionTransformer a = new VisionTransformer(TINY, DataType.FLOAT, 13);
        VisionTransformer b = new VisionTransformer(TINY, DataType.FLOAT, 13);
        VisionTransformer c = new VisionTransformer(TINY, DataType.FLOAT, 14);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertEquals(a.parameters().get(i).value(), b.parameters().get(i).value(), a.parameters().get(i).name());
        }
        INDArray ya = a.forward(x, true).dup();
        assertTrue(ya.equalsWithEps(b.forward(x, true), 0.0));
        assertTrue(ya.equalsWithEps(a.forward(x, true), 0.0), "repeated forward");
        assertFalse(ya.equalsWithEps(c.forward(x, true), 1e-6));
    }

    @Test
    void init_tokensAndBlockLinearsAreTruncatedNormal002_biasesZero_normsOne() {
        VisionTransformer vit = new VisionTransformer(VisionTransformerConfig.tiny(32, 3).withDepth(1), DataType.FLOAT, 1);
        INDArray pos = parameter(vit, "pos_embed").value();
        assertArrayEquals(new long[] {65, 192}, pos.shape());
        assertEquals(0.02, pos.stdNumber().doubleValue() / 0.88, 0.001, "std of N(0, 0.02^2) cut at 2 std is 0.88 x 0.02");
        assertTrue(pos.amaxNumber().doubleValue() <= 0.04 + 1e-7);
        INDArray qkv = parameter(vit, "blocks.layers0.attn.qkv.weight").value();
        assertEquals(0.02 * 0.88, qkv.stdNumber().doubleValue(), 0.001);
        assertEquals(0.0, parameter(vit, "blocks.layers0.fc1.bias").value().amaxNumber().doubleValue(), 0.0);
        assertEquals(1.0, parameter(vit, "norm.weight").value().minNumber().doubleValue(), 0.0);
        // the patch embedding keeps PyTorch's conv default, U(+-1/sqrt(48))
        assertTrue(parameter(vit, "patch_embed.weight").value().amaxNumber().doubleValue() <= 1 / Math.sqrt(48));
        assertFalse(parameter(vit, "cls_token").weightDecay());
        assertTrue(parameter(vit, "blocks.layers0.fc1.weight").weightDecay());
    }

    @Test
    void tinyPresets_deitTinySizesWithPatch4At32AndPatch8At96() {
        VisionTransformerConfig c32 = VisionTransformerConfig.tiny(32, 3);
        VisionTransformerConfig c96 = VisionTransformerConfig.tiny(96, 3);
        assertEquals(4, c32.patch());
        assertEquals(64, c32.numPatches());
        assertEquals(8, c96.patch());
        assertEquals(144, c96.numPatches());
        assertEquals(192, c32.dim());
        assertEquals(3, c32.heads());
        assertEquals(12, c32.depth());
        // per block: qkv 192x576 + 576, proj 192x192 + 192, fc1 192x768 + 768, fc2 768x192 + 192, 2 norms
        long block = 192L * 576 + 576 + 192 * 192 + 192 + 192 * 768 + 768 + 768 * 192 + 192 + 4 * 192;
        long expected = 48 * 192 + 192 + 192 + 65 * 192 + 12 * block + 2 * 192;
        long count = 0;
        for (Parameter p : new VisionTransformer(c32, DataType.FLOAT, 1).parameters()) {
            count += p.value().length();
        }
        assertEquals(expected, count);
        assertEquals(5_360_832L, count, "DeiT-Tiny's 5.52 M without its 1000-class head, less the 16x16 patches' embedding");
    }

    @Test
    void badInputs_throwNamingWhatWasExpected() {
        VisionTransformer vit = new VisionTransformer(TINY, D, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vit.forward(Nd4j.zeros(D, 1, 2, 12, 12), false));
        assertTrue(e.getMessage().contains("VisionTransformer.forward") && e.getMessage().contains("12"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vit.forward(Nd4j.zeros(DataType.FLOAT, 1, 2, 8, 8), false));
        assertThrows(IllegalArgumentException.class, () -> vit.encode(Nd4j.zeros(D, 1, 2, 8, 8), Nd4j.zeros(D, 1, 2, 5), false));
        assertThrows(IllegalStateException.class, () -> new VisionTransformer(TINY, D, 1).backward(Nd4j.zeros(D, 1, 8)));
        assertThrows(IllegalArgumentException.class, () -> new VisionTransformerConfig(30, 3, 4, 192, 1, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new VisionTransformerConfig(32, 3, 4, 190, 1, 3, 4));
    }

    @Test
    void spec_vitTiny_buildsTheViTAndRefusesImageSizesItsPatchDoesNotDivide() {
        BackboneSpec s = new BackboneSpec(BackboneSpec.Kind.VIT_TINY, 3, 1, DataType.FLOAT, 2, 16, 1);
        Backbone b = s.build();
        assertEquals(192, b.featureDim());
        assertTrue(b.module() instanceof VisionTransformer);
        assertArrayEquals(new long[] {2, 192}, b.module().forward(Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16), false).shape());
        assertEquals("vit-tiny(16px/4, depth 1)", b.description());
        assertEquals(BackboneSpec.Kind.VIT_TINY, BackboneSpec.parseKind("vit-tiny"));
        assertEquals(12, BackboneSpec.forImages(BackboneSpec.Kind.VIT_TINY, 3, 32, 32, DataType.FLOAT, 1).depth());
        assertEquals(new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 32, DataType.FLOAT, 1),
                BackboneSpec.forImages(BackboneSpec.Kind.CONVNET, 3, 32, 32, DataType.FLOAT, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackboneSpec(BackboneSpec.Kind.VIT_TINY, 3, 1, DataType.FLOAT, 2, 30, 1));
        assertTrue(e.getMessage().contains("got imageSize 30"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new BackboneSpec(BackboneSpec.Kind.VIT_TINY, 3, 1, DataType.FLOAT, 2, 32, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 2, 32, 0));
    }

    private static Parameter parameter(Module m, String name) {
        for (Parameter p : m.parameters()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name + " among " + m.parameters().stream().map(Parameter::name).toList());
    }
}
