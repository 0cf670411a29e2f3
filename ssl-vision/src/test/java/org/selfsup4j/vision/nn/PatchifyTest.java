package org.selfsup4j.vision.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PatchifyTest {

    @Test
    void forward_matchesTheWrittenOutIndexFormula() {
        int n = 2;
        int c = 3;
        int h = 4;
        int w = 6;
        int p = 2;
        INDArray x = GradCheck.randn(1, n, c, h, w);
        INDArray y = new Patchify(p).forward(x, false);
        assertArrayEquals(new long[] {n, (h / p) * (w / p), c * p * p}, y.shape());
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        int patch = (i / p) * (w / p) + j / p;
                        int k = (ch * p + i % p) * p + j % p;
                        assertEquals(x.getDouble(s, ch, i, j), y.getDouble(s, patch, k), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void backward_isTheInversePermutation_andGradientsMatchFiniteDifferences() {
        Patchify m = new Patchify(2);
        INDArray x = GradCheck.randn(2, 2, 2, 4, 4);
        INDArray y = m.forward(x, true).dup();
        assertTrue(x.equalsWithEps(m.backward(y), 0.0));
        GradCheck.check(m, x, 1e-8);
    }

    @Test
    void sizeNotAMultipleOfThePatch_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Patchify(4).forward(Nd4j.zeros(DataType.FLOAT, 1, 1, 6, 8), false));
        assertTrue(e.getMessage().contains("divisible by patch"), e.getMessage());
    }
}
