package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row-wise L2 normalization: unit rows, the value of a hand-worked row, gradients against central differences. */
class L2NormalizeTest {
    @Test
    void forward_givesUnitRows_andDividesEachRowByItsNorm() {
        INDArray y = new L2Normalize().forward(Nd4j.createFromArray(new double[][] {{3, 4}, {0, -2}}), true);
        assertEquals(Nd4j.createFromArray(new double[][] {{0.6, 0.8}, {0, -1}}), y);
        INDArray x = GradientCheck.randn(1, 5, 7);
        assertEquals(1.0, new L2Normalize().forward(x, false).norm2(1).minNumber().doubleValue(), 1e-12);
    }

    @Test
    void backward_matchesFiniteDifferences() {
        GradientCheck.check(new L2Normalize(), GradientCheck.randn(2, 4, 3), true);
    }

    @Test
    void forward_notAMatrix_throwsNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new L2Normalize().forward(GradientCheck.randn(3, 2, 3, 4), true));
        assertEquals(true, e.getMessage().contains("[2, 3, 4]"), e.getMessage());
    }
}
