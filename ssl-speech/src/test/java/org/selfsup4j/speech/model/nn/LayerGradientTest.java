package org.selfsup4j.speech.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.Parameter;

class LayerGradientTest {
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
                assertEquals(1.0, p.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(h),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(q), org.nd4j.linalg.indexing.NDArrayIndex.all()).sumNumber().doubleValue(), 1e-12);
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
        INDArray q = qkv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3));
        INDArray k = qkv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6));
        INDArray v = qkv.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(6, 9));
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
    void positionalConv_evenKernel_gradientsMatchAndLengthKept() {
        ConvPositionalEmbedding p = new ConvPositionalEmbedding(4, 4, 2, D, new SplittableRandom(9));
        INDArray x = GradientCheck.randn(10, 2, 5, 4);
        assertArrayEquals(x.shape(), p.forward(x, false).shape());
        GradientCheck.check(p, x, true);
    }

    @Test
    void positionalConv_oddKernel_gradientsMatch() {
        ConvPositionalEmbedding p = new ConvPositionalEmbedding(6, 3, 3, D, new SplittableRandom(11));
        GradientCheck.check(p, GradientCheck.randn(12, 2, 4, 6), true);
    }

    @Test
    void positionalConv_isEquivariantToTimeShiftInTheInterior() {
        // a convolution: shifting a pulse in time shifts the response
        ConvPositionalEmbedding p = new ConvPositionalEmbedding(2, 3, 1, D, new SplittableRandom(13));
        INDArray a = Nd4j.zeros(D, 1, 9, 2);
        a.putScalar(new long[] {0, 3, 0}, 1.0);
        INDArray b = Nd4j.zeros(D, 1, 9, 2);
        b.putScalar(new long[] {0, 5, 0}, 1.0);
        INDArray ya = p.forward(a, false).dup();
        INDArray yb = p.forward(b, false).dup();
        for (int t = 2; t <= 4; t++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(ya.getDouble(0, t, c), yb.getDouble(0, t + 2, c), 1e-12);
            }
        }
    }

    @Test
    void transformerEncoder_intermediateGradients_matchFiniteDifferences() {
        TransformerEncoder enc = new TransformerEncoder(4, 3, 2, 8, 3, 2, D, new SplittableRandom(15));
        INDArray x = GradientCheck.randn(16, 2, 3, 4);
        INDArray r1 = GradientCheck.randn(17, 2, 3, 4);
        INDArray r3 = GradientCheck.randn(18, 2, 3, 4);
        // L = sum(h_1 * r1) + sum(h_3 * r3)
        java.util.function.ToDoubleFunction<INDArray> f = xx -> {
            enc.forward(xx, true);
            List<INDArray> h = enc.hiddenStates();
            return h.get(0).mul(r1).sumNumber().doubleValue() + h.get(2).mul(r3).sumNumber().doubleValue();
        };
        for (Parameter p : enc.parameters()) {
            p.zeroGradient();
        }
        enc.forward(x, true);
        INDArray gx = enc.backward(Arrays.asList(r1, null, r3)).dup();
        List<INDArray> analytic = new ArrayList<>();
        for (Parameter p : enc.parameters()) {
            analytic.add(p.gradient().dup());
        }
        INDArray nx = FiniteDifferences.gradient(f, x);
        assertTrue(FiniteDifferences.maxRelativeError(gx, nx, 1e-4) < 1e-5);
        List<Parameter> ps = enc.parameters();
        for (int i = 0; i < ps.size(); i += 5) {
            INDArray np = FiniteDifferences.gradient(v -> f.applyAsDouble(x), ps.get(i).value());
            double e = FiniteDifferences.maxRelativeError(analytic.get(i), np, 1e-4);
            assertTrue(e < 1e-5, ps.get(i).name() + " relative error " + e);
        }
    }

    @Test
    void featureEncoder_gradientsMatchAndFrameCountFollowsFormula() {
        ConvFeatureEncoder enc = new ConvFeatureEncoder(new int[] {3, 4}, new int[] {4, 3}, new int[] {2, 2}, D,
                new SplittableRandom(19));
        INDArray x = GradientCheck.randn(20, 2, 21);
        INDArray y = enc.forward(x, false);
        // (21 - 4) / 2 + 1 = 9; (9 - 3) / 2 + 1 = 4
        assertArrayEquals(new long[] {2, 4, 4}, y.shape());
        assertEquals(4, enc.frames(21));
        assertEquals(4, enc.totalStride());
        assertEquals(4 + 2 * 2, enc.receptiveField());
        GradientCheck.check(enc, x, true, 1e-5);
    }

    @Test
    void featureEncoder_paperPreset_gives320SamplesPerFrame() {
        ConvFeatureEncoder enc = new ConvFeatureEncoder(new int[] {2, 2, 2, 2, 2, 2, 2}, new int[] {10, 3, 3, 3, 3, 2, 2},
                new int[] {5, 2, 2, 2, 2, 2, 2}, DataType.FLOAT, new SplittableRandom(1));
        assertEquals(320, enc.totalStride());
        assertEquals(400, enc.receptiveField());
        assertEquals(49, enc.frames(16000));
    }

    /** Adapts the masked forward to the Module-based gradient check. */
    private static final class MaskedModule implements org.selfsup4j.core.nn.Module {
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
