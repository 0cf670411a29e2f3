package org.selfsup4j.core.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.GradientCheck;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/** The transformer blocks against finite differences (float64) and against their written-out formulas. */
class TransformerGradientTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void attention_gradientsMatchFiniteDifferences() {
        MultiHeadSelfAttention m = new MultiHeadSelfAttention(6, 2, D, new SplittableRandom(1));
        GradientCheck.check(m, GradientCheck.randn(2, 2, 4, 6), true, 1e-5, 1e-4);
    }

    @Test
    void attention_withKeyPaddingMask_gradientsMatchAndPaddedKeysGetNoWeight() {
        MultiHeadSelfAttention m = new MultiHeadSelfAttention(4, 2, D, new SplittableRandom(3));
        INDArray pad = Nd4j.createFromArray(new double[][] {{0, 0, 0, 1}, {0, 0, 1, 1}});
        INDArray x = GradientCheck.randn(4, 2, 4, 4);
        MaskedModule masked = new MaskedModule(m, pad);
        GradientCheck.check(masked, x, true, 1e-5, 1e-4);
        m.forward(x, pad, false);
        INDArray p = m.attentionProbabilities().reshape(2, 2, 4, 4);
        for (int h = 0; h < 2; h++) {
            for (int q = 0; q < 4; q++) {
                assertTrue(p.getDouble(0, h, q, 3) < 1e-12);
                assertTrue(p.getDouble(1, h, q, 2) + p.getDouble(1, h, q, 3) < 1e-12);
                assertEquals(1.0, p.get(NDArrayIndex.point(1), NDArrayIndex.point(h),
                        NDArrayIndex.point(q), NDArrayIndex.all()).sumNumber().doubleValue(), 1e-12);
            }
        }
    }

    @Test
    void attention_matchesWrittenOutFormulaForOneHead() {
        MultiHeadSelfAttention m = new MultiHeadSelfAttention(3, 1, D, new SplittableRandom(5));
        INDArray x = GradientCheck.randn(6, 1, 4, 3);
        INDArray y = m.forward(x, false).dup();
        INDArray w = m.parameters().get(0).value();
        INDArray b = m.parameters().get(1).value();
        INDArray x2 = x.reshape(4, 3);
        INDArray qkv = x2.mmul(w.transpose()).addRowVector(b);
        INDArray q = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray k = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6));
        INDArray v = qkv.get(NDArrayIndex.all(), NDArrayIndex.interval(6, 9));
        double[][] s = new double[4][4];
        INDArray ctx = Nd4j.zeros(D, 4, 3);
        for (int i = 0; i < 4; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                s[i][j] = q.getRow(i).mul(k.getRow(j)).sumNumber().doubleValue() / Math.sqrt(3);
                max = Math.max(max, s[i][j]);
            }
            double z = 0;
            for (int j = 0; j < 4; j++) {
                s[i][j] = Math.exp(s[i][j] - max);
                z += s[i][j];
            }
            for (int j = 0; j < 4; j++) {
                ctx.getRow(i).addi(v.getRow(j).mul(s[i][j] / z));
            }
        }
        INDArray expected = ctx.mmul(m.parameters().get(2).value().transpose()).addRowVector(m.parameters().get(3).value());
        assertTrue(expected.equalsWithEps(y.reshape(4, 3), 1e-10), "expected " + expected + " got " + y);
    }

    @Test
    void attention_dimNotDivisibleByHeads_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiHeadSelfAttention(5, 2, D, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("divisible"));
    }

    @Test
    void transformerLayer_gradientsMatchFiniteDifferences() {
        TransformerEncoderLayer l = new TransformerEncoderLayer(4, 2, 8, D, new SplittableRandom(7));
        GradientCheck.check(l, GradientCheck.randn(8, 2, 3, 4), true, 1e-5, 1e-4);
    }

    @Test
    void preNormLayer_gradientsMatchFiniteDifferences() {
        TransformerEncoderLayer l = new TransformerEncoderLayer(4, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(21));
        GradientCheck.check(l, GradientCheck.randn(22, 2, 3, 4), true, 1e-5, 1e-4);
    }

    @Test
    void preNormLayer_matchesItsPartsComposedByHand() {
        // the same generator order as the layer: attention, then fc1, then fc2; fresh norms are (1, 0)
        long seed = 23;
        TransformerEncoderLayer l = new TransformerEncoderLayer(6, 2, 12, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(seed));
        SplittableRandom rng = new SplittableRandom(seed);
        MultiHeadSelfAttention attn = new MultiHeadSelfAttention(6, 2, D, rng);
        Linear fc1 = new Linear(6, 12, true, D, rng);
        Linear fc2 = new Linear(12, 6, true, D, rng);
        INDArray x = GradientCheck.randn(24, 2, 5, 6);
        INDArray h = x.add(attn.forward(new LayerNorm(6, D).forward(x, false).dup(), false));
        INDArray inner = new GELU().forward(fc1.forward(new LayerNorm(6, D).forward(h, false).dup(), false), false).dup();
        INDArray expected = h.add(fc2.forward(inner, false));
        INDArray y = l.forward(x, false);
        assertTrue(expected.equalsWithEps(y, 1e-12), "expected " + expected + " got " + y);
    }

    @Test
    void postAndPreNormLayers_differOnTheSameWeights() {
        TransformerEncoderLayer post = new TransformerEncoderLayer(4, 2, 8, D, new SplittableRandom(25));
        TransformerEncoderLayer pre = new TransformerEncoderLayer(4, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(25));
        assertEquals(TransformerEncoderLayer.Norm.POST, post.placement());
        INDArray x = GradientCheck.randn(26, 1, 3, 4);
        INDArray a = post.forward(x, false).dup();
        assertTrue(a.sub(pre.forward(x, false)).norm2Number().doubleValue() > 1e-3);
    }

    @Test
    void preNormStack_gradientsMatchFiniteDifferences() {
        TransformerStack s = new TransformerStack(4, 2, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(27));
        assertEquals(2, s.numLayers());
        assertEquals("layers1.ln2.bias", s.parameters().get(s.parameters().size() - 1).name());
        GradientCheck.check(s, GradientCheck.randn(28, 2, 3, 4), true, 1e-5, 1e-4);
    }

    @Test
    void stack_gradientOfAnIntermediateLayerOnly_matchesThatLayerAlone() {
        // L = sum(h_1 * r): the second layer gets no gradient, so dL/dh_0 is layer 1's backward of r
        TransformerStack s = new TransformerStack(4, 2, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(29));
        TransformerEncoderLayer first = new TransformerEncoderLayer(4, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(29));
        INDArray x = GradientCheck.randn(30, 2, 3, 4);
        INDArray r = GradientCheck.randn(31, 2, 3, 4);
        s.forward(x, true);
        INDArray viaStack = s.backward(Arrays.asList(r, null)).dup();
        first.forward(x, true);
        INDArray alone = first.backward(r);
        assertTrue(alone.equalsWithEps(viaStack, 1e-12));
        for (Parameter p : s.parameters()) {
            if (p.name().startsWith("layers1.")) {
                assertEquals(0.0, p.gradient().norm2Number().doubleValue(), 0.0, p.name());
            }
        }
    }

    @Test
    void stack_noGradientAnywhere_givesZeros() {
        TransformerStack s = new TransformerStack(4, 1, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(32));
        s.forward(GradientCheck.randn(33, 1, 2, 4), true);
        assertEquals(0.0, s.backward(Arrays.asList((INDArray) null)).norm2Number().doubleValue(), 0.0);
    }

    @Test
    void stack_wrongNumberOfGradients_throws() {
        TransformerStack s = new TransformerStack(4, 2, 2, 8, TransformerEncoderLayer.Norm.PRE, D,
                new SplittableRandom(34));
        s.forward(GradientCheck.randn(35, 1, 2, 4), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.backward(List.of(GradientCheck.randn(36, 1, 2, 4))));
        assertTrue(e.getMessage().contains("one (possibly null) gradient per layer (2), got 1"), e.getMessage());
    }

    /** Adapts the masked forward to the Module-based gradient check. */
    private static final class MaskedModule implements Module {
        private final MultiHeadSelfAttention m;
        private final INDArray pad;

        MaskedModule(MultiHeadSelfAttention m, INDArray pad) {
            this.m = m;
            this.pad = pad;
        }

        @Override
        public INDArray forward(INDArray input, boolean training) {
            return m.forward(input, pad, training);
        }

        @Override
        public INDArray backward(INDArray gradOutput) {
            return m.backward(gradOutput);
        }

        @Override
        public List<Parameter> parameters() {
            return m.parameters();
        }
    }
}
