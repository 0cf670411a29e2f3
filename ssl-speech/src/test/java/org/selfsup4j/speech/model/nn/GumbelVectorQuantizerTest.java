package org.selfsup4j.speech.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;

class GumbelVectorQuantizerTest {
    private static final DataType D = DataType.DOUBLE;
    private static final int C = 5;
    private static final int G = 2;
    private static final int V = 4;
    private static final int DIM = 6;
    private static final long NOISE_SEED = 77;

    private static GumbelVectorQuantizer quantizer() {
        GumbelVectorQuantizer q = new GumbelVectorQuantizer(C, G, V, DIM, D, new SplittableRandom(3));
        q.setTemperature(1.3);
        return q;
    }

    @Test
    void forward_shapesAndEachGroupIsACodebookRow() {
        GumbelVectorQuantizer q = quantizer();
        INDArray x = GradientCheck.randn(1, 2, 3, C);
        INDArray y = q.forward(x, new SplittableRandom(NOISE_SEED));
        assertArrayEquals(new long[] {2, 3, DIM}, y.shape());
        assertArrayEquals(new long[] {6, G, V}, q.logits().shape());
        int[] codes = q.codes();
        assertEquals(6 * G, codes.length);
        INDArray vars = q.parameters().get(2).value();
        INDArray y2 = y.reshape(6, DIM);
        for (int f = 0; f < 6; f++) {
            for (int g = 0; g < G; g++) {
                int code = codes[f * G + g];
                assertTrue(code >= 0 && code < V);
                for (int e = 0; e < DIM / G; e++) {
                    assertEquals(vars.getDouble((long) g * V + code, e), y2.getDouble(f, (long) g * (DIM / G) + e), 0.0);
                }
            }
        }
    }

    @Test
    void eval_picksArgmaxOfLogitsWithoutNoise() {
        GumbelVectorQuantizer q = quantizer();
        INDArray x = GradientCheck.randn(2, 4, C);
        q.forward(x, false);
        int[] codes = q.codes();
        INDArray l = q.logits();
        for (int f = 0; f < 4; f++) {
            for (int g = 0; g < G; g++) {
                int best = 0;
                for (int v = 1; v < V; v++) {
                    if (l.getDouble(f, g, v) > l.getDouble(f, g, best)) {
                        best = v;
                    }
                }
                assertEquals(best, codes[f * G + g]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> q.forward(x, true));
    }

    @Test
    void backward_codebookGradientMatchesFiniteDifferences() {
        GumbelVectorQuantizer q = quantizer();
        INDArray x = GradientCheck.randn(4, 3, C);
        INDArray r = GradientCheck.randn(5, 3, DIM);
        q.forward(x, new SplittableRandom(NOISE_SEED));
        q.parameters().forEach(p -> p.zeroGradient());
        q.backward(r);
        INDArray analytic = q.parameters().get(2).gradient().dup();
        INDArray numeric = FiniteDifferences.gradient(
                v -> q.forward(x, new SplittableRandom(NOISE_SEED)).mul(r).sumNumber().doubleValue(), q.parameters().get(2).value());
        assertTrue(FiniteDifferences.maxRelativeError(analytic, numeric, 1e-6) < 1e-6);
        assertTrue(analytic.norm1Number().doubleValue() > 0);
    }

    @Test
    void backward_isStraightThroughTheSoftGumbelSample() {
        // the analytic input gradient must equal the gradient of the relaxed output softmax((l + n) / tau) E
        GumbelVectorQuantizer q = quantizer();
        INDArray x = GradientCheck.randn(6, 3, C);
        INDArray r = GradientCheck.randn(7, 3, DIM);
        q.forward(x, new SplittableRandom(NOISE_SEED));
        INDArray dx = q.backward(r).dup();
        INDArray numeric = FiniteDifferences.gradient(xx -> relaxed(q, xx, r), x);
        assertTrue(FiniteDifferences.maxRelativeError(dx, numeric, 1e-6) < 1e-5,
                "analytic " + dx + "\nnumeric " + numeric);
    }

    @Test
    void backward_addsTheDirectLogitGradientThroughTheProjection() {
        GumbelVectorQuantizer q = quantizer();
        INDArray x = GradientCheck.randn(8, 3, C);
        INDArray r = GradientCheck.randn(9, 3, DIM);
        INDArray lg = GradientCheck.randn(10, 3, G, V);
        q.forward(x, new SplittableRandom(NOISE_SEED));
        INDArray a = q.backward(r).dup();
        INDArray b = q.backward(r, lg).dup();
        INDArray w = q.parameters().get(0).value();
        INDArray expected = lg.reshape(3, (long) G * V).mmul(w);
        assertTrue(expected.equalsWithEps(b.sub(a), 1e-10));
    }

    @Test
    void temperature_annealsFromTwoToHalf() {
        assertEquals(2.0, GumbelVectorQuantizer.temperatureAt(0, 2, 0.5, 0.999995), 0);
        assertEquals(2.0 * Math.pow(0.999995, 1000), GumbelVectorQuantizer.temperatureAt(1000, 2, 0.5, 0.999995), 1e-12);
        assertEquals(0.5, GumbelVectorQuantizer.temperatureAt(10_000_000, 2, 0.5, 0.999995), 0);
    }

    @Test
    void codePerplexity_countsUsedEntries() {
        GumbelVectorQuantizer q = quantizer();
        INDArray same = Nd4j.ones(D, 5, C);
        q.forward(same, false);
        assertEquals(G, q.codePerplexity(), 1e-12);
    }

    /** sum(r * concat_g softmax((x W^T + b + n) / tau)_g E_g) with the quantizer's noise. */
    private static double relaxed(GumbelVectorQuantizer q, INDArray x, INDArray r) {
        INDArray w = q.parameters().get(0).value();
        INDArray b = q.parameters().get(1).value();
        INDArray e = q.parameters().get(2).value();
        long f = x.length() / C;
        INDArray l = x.reshape(f, C).mmul(w.transpose()).addRowVector(b);
        SplittableRandom rng = new SplittableRandom(NOISE_SEED);
        double tau = q.temperature();
        double total = 0;
        int d = DIM / G;
        INDArray r2 = r.reshape(f, DIM);
        for (int fi = 0; fi < f; fi++) {
            for (int g = 0; g < G; g++) {
                double[] z = new double[V];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    double u = rng.nextDouble();
                    double n = -Math.log(-Math.log(u + 1e-12) + 1e-12);
                    z[v] = (l.getDouble(fi, (long) g * V + v) + n) / tau;
                    max = Math.max(max, z[v]);
                }
                double s = 0;
                for (int v = 0; v < V; v++) {
                    z[v] = Math.exp(z[v] - max);
                    s += z[v];
                }
                for (int v = 0; v < V; v++) {
                    for (int k = 0; k < d; k++) {
                        total += z[v] / s * e.getDouble((long) g * V + v, k) * r2.getDouble(fi, (long) g * d + k);
                    }
                }
            }
        }
        return total;
    }
}
