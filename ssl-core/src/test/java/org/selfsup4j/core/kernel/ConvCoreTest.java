package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup4j.core.nn.GradientCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Conv1d;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.GradientCheck;

/** {@link ConvCore}'s batch chunking under a small {@link ConvWorkspace} budget (moved from ConvAndLinearTest). */
class ConvCoreTest {
    private static final DataType D = DataType.DOUBLE;

    @Test
    void conv_batchSplitIntoChunks_matchesUnchunkedAndFiniteDifferences() {
        INDArray x = GradientCheck.randn(11, 5, 2, 5, 5);
        Conv2d whole = new Conv2d(2, 3, 3, 2, 1, true, D, new SplittableRandom(12));
        INDArray expected = whole.forward(x, true).dup();
        INDArray g = GradientCheck.randn(13, expected.shape());
        INDArray expectedGx = whole.backward(g).dup();
        long saved = ConvWorkspace.budget;
        ConvWorkspace.budget = 200; // a sample needs 9 * (2*18 + 3 + 2) = 369 elements: one sample per chunk
        try {
            Conv2d chunked = new Conv2d(2, 3, 3, 2, 1, true, D, new SplittableRandom(12));
            assertTrue(expected.equalsWithEps(chunked.forward(x, true), 1e-12));
            assertTrue(expectedGx.equalsWithEps(chunked.backward(g), 1e-12));
            for (int i = 0; i < 2; i++) {
                assertTrue(whole.parameters().get(i).gradient().equalsWithEps(chunked.parameters().get(i).gradient(), 1e-12));
            }
            GradientCheck.check(new Conv2d(2, 2, 3, 1, 1, true, D, new SplittableRandom(14)), GradientCheck.randn(15, 3, 2, 4, 4), true);
            GradientCheck.check(new Conv1d(2, 2, 3, 1, 1, true, D, new SplittableRandom(16)), GradientCheck.randn(17, 3, 2, 6), true);
        } finally {
            ConvWorkspace.budget = saved;
        }
    }
}
