package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationAndPoolingTest {
    @Test
    void relu_valuesAndGradients() {
        INDArray x = Nd4j.createFromArray(new double[][] {{-1.5, 0.0, 2.0}});
        assertEquals(Nd4j.createFromArray(new double[][] {{0.0, 0.0, 2.0}}), new ReLU().forward(x, true));
        GradientCheck.check(new ReLU(), GradientCheck.randn(1, 3, 2, 4), true);
    }

    @Test
    void gelu_matchesExactErfForm() {
        // x * Phi(x) with Phi from tables of the standard normal CDF
        double[] xs = {1.0, -0.5, 2.0, 0.0};
        double[] phi = {0.8413447460685429, 0.3085375387259869, 0.9772498680518208, 0.5};
        INDArray y = new GELU().forward(Nd4j.createFromArray(new double[][] {xs}), false);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i] * phi[i], y.getDouble(0, i), 1e-12);
        }
        GradientCheck.check(new GELU(), GradientCheck.randn(2, 3, 5), true);
    }

    @Test
    void globalAvgPool_meansAndGradients() {
        INDArray x = GradientCheck.randn(3, 3, 2, 2, 3);
        INDArray y = new GlobalAvgPool().forward(x, true);
        assertArrayEquals(new long[] {3, 2}, y.shape());
        double mean = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                mean += x.getDouble(1, 1, i, j) / 6;
            }
        }
        assertEquals(mean, y.getDouble(1, 1), 1e-12);
        GradientCheck.check(new GlobalAvgPool(), x, true);
        GradientCheck.check(new GlobalAvgPool(), GradientCheck.randn(4, 3, 2, 5), true);
        var e = assertThrows(IllegalArgumentException.class, () -> new GlobalAvgPool().forward(GradientCheck.randn(1, 3, 2), true));
        assertEquals("GlobalAvgPool.forward: expected input [N, C, L] or [N, C, H, W], got [3, 2]", e.getMessage());
    }

    @Test
    void flattenAndIdentity_passValuesAndGradients() {
        INDArray x = GradientCheck.randn(5, 3, 2, 2, 2);
        INDArray y = new Flatten().forward(x, true);
        assertArrayEquals(new long[] {3, 8}, y.shape());
        assertEquals(x.getDouble(2, 1, 0, 1), y.getDouble(2, 5), 0.0);
        GradientCheck.check(new Flatten(), x, true);
        Identity id = new Identity();
        assertSame(x, id.forward(x, true));
        GradientCheck.check(new Identity(), x, true);
        assertThrows(IllegalArgumentException.class, () -> new Flatten().forward(Nd4j.createFromArray(1.0, 2.0), true));
    }

    @Test
    void parameterFree_backwardBeforeForward_throws() {
        INDArray g = GradientCheck.randn(1, 2, 3);
        for (Module m : new Module[] {new ReLU(), new GELU(), new Identity(), new GlobalAvgPool(), new Flatten()}) {
            var e = assertThrows(IllegalStateException.class, () -> m.backward(g), m.toString());
            assertEquals(m + ".backward: backward called before forward", e.getMessage());
        }
    }

    @Test
    void activations_repeatedInference_isBitIdentical() {
        INDArray x = GradientCheck.randn(7, 4, 3, 5, 5).castTo(DataType.FLOAT);
        GradientCheck.assertRepeatable(new ReLU(), x, false);
        GradientCheck.assertRepeatable(new GELU(), x, false);
        GradientCheck.assertRepeatable(new GlobalAvgPool(), x, false);
    }
}
