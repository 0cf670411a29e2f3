package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The host kernels against the libnd4j ops they replace (relu, relu_bp, add + relu, mean and its
 * gradient), bit for bit, below and above the parallel threshold, and on views with an offset.
 */
class ElementwiseKernelsTest {

    private static INDArray randn(DataType type, long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        INDArray a = Nd4j.randn(type, shape);
        // exact zeros, as ReLU outputs have, exercise the boundary of the backward mask
        a.get(NDArrayIndex.interval(0, 1)).assign(0);
        return a;
    }

    @ParameterizedTest(name = "{0} n={1}")
    @CsvSource({"FLOAT, 3001", "DOUBLE, 3001", "FLOAT, 300007", "DOUBLE, 300007"})
    void reluBackward_andAddRelu_equalLibnd4jBitForBit(DataType type, int n) {
        INDArray x = randn(type, 1, 7, n);
        INDArray z = randn(type, 2, 7, n);
        INDArray g = randn(type, 3, 7, n);

        INDArray y = x.ulike();
        Nd4j.exec(new RectifiedLinear(x, y, 0.0));

        INDArray d = x.ulike();
        assertTrue(ElementwiseKernels.reluBackward(y, g, d));
        INDArray dRef = x.ulike();
        ElementwiseKernels.reluBackwardNd4j(x, g, dRef);
        assertArrayEquals(dRef.data().asDouble(), d.data().asDouble(), 0.0);
        assertTrue(d.neq(0).castTo(DataType.INT32).sumNumber().intValue() > n, "about half the gradient must pass");

        INDArray s = x.ulike();
        assertTrue(ElementwiseKernels.addRelu(x, z, s));
        INDArray sRef = x.add(z);
        Nd4j.exec(new RectifiedLinear(sRef, sRef, 0.0));
        assertArrayEquals(sRef.data().asDouble(), s.data().asDouble(), 0.0);
    }

    @Test
    void addRelu_keepsNaN_soTheGuardSeesIt() {
        INDArray x = Nd4j.createFromArray(1f, Float.NaN, -2f, Float.POSITIVE_INFINITY);
        INDArray y = x.ulike();
        assertTrue(ElementwiseKernels.addRelu(x, Nd4j.createFromArray(0.5f, 0f, 1f, 0f), y));
        float[] v = y.toFloatVector();
        assertEquals(1.5f, v[0]);
        assertTrue(Float.isNaN(v[1]));
        assertEquals(0f, v[2]);
        assertEquals(Float.POSITIVE_INFINITY, v[3]);
        assertFalse(HostArrays.allFinite(y));
    }

    @Test
    void reluBackward_zeroAndNegativeZeroOutputs_blockTheGradient() {
        INDArray y = Nd4j.createFromArray(0.0, -0.0, 1e-310, 3.0);
        INDArray g = Nd4j.createFromArray(5.0, 6.0, 7.0, -8.0);
        INDArray d = g.ulike();
        assertTrue(ElementwiseKernels.reluBackward(y, g, d));
        assertArrayEquals(new double[] {0, 0, 7, -8}, d.toDoubleVector(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void viewsWithOffset_readAndWriteOnlyTheirElements(DataType type) {
        INDArray x = randn(type, 4, 6, 50);
        INDArray out = Nd4j.zeros(type, 6, 50);
        INDArray xv = x.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
        INDArray ov = out.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all());
        INDArray zv = x.get(NDArrayIndex.interval(0, 3), NDArrayIndex.all());
        assertTrue(ElementwiseKernels.addRelu(xv, zv, ov));
        INDArray expected = Nd4j.zeros(type, 6, 50);
        expected.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all()).assign(Nd4j.nn().relu(xv.add(zv), 0));
        assertArrayEquals(expected.data().asDouble(), out.data().asDouble(), 0.0);
    }

    @Test
    void stridedOrMixedOperands_areLeftToLibnd4j() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray col = m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        assertFalse(ElementwiseKernels.addRelu(col, col, col.ulike()));
        assertFalse(ElementwiseKernels.addRelu(m, m.castTo(DataType.DOUBLE), m.ulike()));
        assertFalse(ElementwiseKernels.reluBackward(m, m, Nd4j.create(DataType.FLOAT, 4, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void rowMeansAndSpread_matchMeanAndItsGradient(DataType type) {
        INDArray x = randn(type, 5, 12, 49);
        INDArray m = Nd4j.create(type, 12);
        assertTrue(ElementwiseKernels.rowMeans(x, m, 12, 49));
        double tol = type == DataType.FLOAT ? 1e-6 : 1e-15;
        assertArrayEquals(x.mean(1).toDoubleVector(), m.toDoubleVector(), tol);
        INDArray g = randn(type, 6, 12);
        INDArray d = Nd4j.create(type, 12, 49);
        assertTrue(ElementwiseKernels.spreadRows(g, d, 12, 49));
        for (int r = 0; r < 12; r++) {
            for (int k = 0; k < 49; k += 16) {
                assertEquals(g.getDouble(r) / 49, d.getDouble(r, k), tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void biasAddAndColumnSums_matchBroadcastAndSum_overSeveralRowBlocks(DataType type) {
        // 300 rows of 64: blocks of 32 rows and a partial last block
        INDArray m = randn(type, 7, 300, 64);
        INDArray v = randn(type, 8, 64);
        INDArray expected = m.addRowVector(v);
        assertTrue(ElementwiseKernels.addRowVector(m, v, 300, 64));
        assertArrayEquals(expected.data().asDouble(), m.data().asDouble(), 0.0);
        INDArray acc = randn(type, 9, 64);
        INDArray expectedAcc = acc.castTo(DataType.DOUBLE).add(m.castTo(DataType.DOUBLE).sum(0));
        assertTrue(ElementwiseKernels.addColumnSums(m, acc, 300, 64));
        assertArrayEquals(expectedAcc.toDoubleVector(), acc.toDoubleVector(), type == DataType.FLOAT ? 2e-4 : 1e-10);
        // (float: one rounding of values near 700, ulp 6e-5)
    }
}
