package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FloatKernelsTest {

    private static INDArray uniform(long seed, int rows, int cols, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] a = new float[rows][cols];
        for (float[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (lo + (hi - lo) * r.nextDouble());
            }
        }
        return Nd4j.createFromArray(a);
    }

    @Test
    void vectorized_underSurefire_isOn() {
        // The module's surefire argLine adds jdk.incubator.vector; without it the fast path is untested.
        assertTrue(FloatKernels.VECTORIZED, "run the tests with --add-modules jdk.incubator.vector");
    }

    @Test
    void expRowSums_float_within1UlpOfExactAndSumsInDouble() {
        // 70 rows x 1037 columns: parallel chunks and a scalar tail after the vector lanes.
        INDArray x = uniform(1, 70, 1037, -87, 80);
        x.putScalar(5, 7, Float.NEGATIVE_INFINITY);
        float[][] in = x.toFloatMatrix();
        INDArray sums = Nd4j.createUninitialized(DataType.FLOAT, 70, 1);
        FloatKernels.expRowSums(x, sums);
        float[][] out = x.toFloatMatrix();
        float[] sumsOut = sums.data().asFloat();
        for (int i = 0; i < in.length; i++) {
            double exact = 0;
            for (int j = 0; j < in[i].length; j++) {
                double e = Math.exp(in[i][j]);
                exact += e;
                float want = (float) e;
                if (!(Math.abs(out[i][j] - want) <= Math.ulp(want))) {
                    throw new AssertionError("exp(" + in[i][j] + ") = " + out[i][j] + ", want " + want);
                }
            }
            assertEquals(exact, sumsOut[i], 1e-5 * exact, "row " + i);
        }
        assertEquals(0f, out[5][7]);
    }

    @Test
    void expRowSums_viewWithOffset_touchesOnlyTheView() {
        INDArray whole = uniform(2, 8, 40, -3, 3);
        INDArray before = whole.dup();
        INDArray view = whole.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all());
        INDArray sums = Nd4j.createUninitialized(DataType.FLOAT, 4, 1);
        FloatKernels.expRowSums(view, sums);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 40; j++) {
                double x = before.getDouble(i, j);
                double want = i >= 2 && i < 6 ? Math.exp(x) : x;
                assertEquals(want, whole.getDouble(i, j), 1e-6 * Math.abs(want), "at " + i + "," + j);
            }
        }
        assertEquals(view.sum(1).getDouble(3), sums.getDouble(3, 0), 1e-5 * sums.getDouble(3, 0));
    }

    @Test
    void expRowSums_doubleFallback_matchesMathExp() {
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 1, -2}, {3, Double.NEGATIVE_INFINITY, 0.5}});
        INDArray sums = Nd4j.createUninitialized(DataType.DOUBLE, 2, 1);
        FloatKernels.expRowSums(x, sums);
        assertEquals(Math.exp(3), x.getDouble(1, 0), 1e-12);
        assertEquals(1 + Math.E + Math.exp(-2), sums.getDouble(0, 0), 1e-12);
        assertEquals(Math.exp(3) + Math.exp(0.5), sums.getDouble(1, 0), 1e-12);
    }
}
