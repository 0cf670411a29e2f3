package org.selfsup4j.vision.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UpsampleAndReshapeTest {
    @Test
    void upsample_forward_repeatsEachPixel() {
        INDArray x = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}, 'c');
        INDArray y = new Upsample2d().forward(x, false);
        assertArrayEquals(new long[] {1, 1, 4, 4}, y.shape());
        double[] expected = {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4};
        assertArrayEquals(expected, y.reshape(16).toDoubleVector(), 0);
    }

    @Test
    void upsample_backward_sumsEachBlock() {
        Upsample2d up = new Upsample2d(2);
        up.forward(Nd4j.zeros(DataType.DOUBLE, 1, 1, 1, 2), true);
        INDArray g = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {1, 1, 2, 4}, 'c');
        INDArray dx = up.backward(g);
        assertArrayEquals(new double[] {1 + 2 + 5 + 6, 3 + 4 + 7 + 8}, dx.reshape(2).toDoubleVector(), 0);
    }

    @Test
    void upsample_gradientMatchesFiniteDifferences() {
        GradCheck.check(new Upsample2d(3), GradCheck.randn(1, 2, 3, 2, 3), 1e-6);
    }

    @Test
    void reshape_gradientMatchesFiniteDifferences_andShapes() {
        Reshape r = new Reshape(2, 2, 3);
        INDArray y = r.forward(GradCheck.randn(2, 4, 12), true);
        assertArrayEquals(new long[] {4, 2, 2, 3}, y.shape());
        GradCheck.check(new Reshape(3, 2, 2), GradCheck.randn(3, 2, 12), 1e-6);
    }

    @Test
    void badInputs_throw() {
        assertThrows(IllegalArgumentException.class, () -> new Upsample2d(0));
        assertThrows(IllegalArgumentException.class, () -> new Upsample2d().forward(Nd4j.zeros(2, 3), false));
        assertThrows(IllegalStateException.class, () -> new Upsample2d().backward(Nd4j.zeros(1, 1, 2, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Reshape(2, 3).forward(Nd4j.zeros(4, 5), false));
        assertEquals(true, e.getMessage().startsWith("Reshape.forward"));
    }
}
