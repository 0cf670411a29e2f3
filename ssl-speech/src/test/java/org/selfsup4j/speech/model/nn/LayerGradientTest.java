package org.selfsup4j.speech.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
