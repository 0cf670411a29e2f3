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
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused row normalization against the formulas written out in double (layer-norm and group-norm
 * layouts, float32 and float64), the same bits for any thread count, and refusals.
 */
class RowNormKernelsTest {
    private static final double EPS = 1e-5;

    /** One case: x [rows, channels * spatial], parameters [groups * channels], dy, all from a seed. */
    private record Case(int rows, int groups, int channels, int spatial, INDArray x, INDArray w, INDArray b, INDArray g) {
        static Case of(DataType t, int rows, int groups, int channels, int spatial, long seed) {
            Nd4j.getRandom().setSeed(seed);
            int d = channels * spatial;
            INDArray x = Nd4j.randn(DataType.DOUBLE, rows, d).muli(2).addi(0.7);
            INDArray w = Nd4j.randn(DataType.DOUBLE, groups * channels).addi(1);
            INDArray b = Nd4j.randn(DataType.DOUBLE, groups * channels);
            INDArray g = Nd4j.randn(DataType.DOUBLE, rows, d);
            return new Case(rows, groups, channels, spatial, x.castTo(t), w.castTo(t), b.castTo(t), g.castTo(t));
        }

        int d() {
            return channels * spatial;
        }
    }

    /** y, dx, dw, db of the case by the textbook formulas in double, row by row. */
    private static double[][] reference(Case c) {
        int d = c.d();
        double[] x = c.x.data().asDouble();
        double[] w = c.w.data().asDouble();
        double[] b = c.b.data().asDouble();
        double[] g = c.g.data().asDouble();
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] db = new double[w.length];
        for (int r = 0; r < c.rows; r++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += x[r * d + j] / d;
            }
            double var = 0;
            for (int j = 0; j < d; j++) {
                var += (x[r * d + j] - mean) * (x[r * d + j] - mean) / d;
            }
            double inv = 1 / Math.sqrt(var + EPS);
            double[] xh = new double[d];
            double[] dxh = new double[d];
            double m1 = 0;
            double m2 = 0;
            for (int j = 0; j < d; j++) {
                int p = (r % c.groups) * c.channels + j / c.spatial;
                xh[j] = (x[r * d + j] - mean) * inv;
                y[r * d + j] = xh[j] * w[p] + b[p];
                dw[p] += g[r * d + j] * xh[j];
                db[p] += g[r * d + j];
                dxh[j] = g[r * d + j] * w[p];
                m1 += dxh[j] / d;
                m2 += dxh[j] * xh[j] / d;
            }
            for (int j = 0; j < d; j++) {
                dx[r * d + j] = inv * (dxh[j] - m1 - xh[j] * m2);
            }
        }
        return new double[][] {y, dx, dw, db};
    }

    /** y, dx, dw, db by the kernels (gradients added to zero). */
    private static INDArray[] run(Case c) {
        INDArray y = c.x.ulike();
        INDArray xhat = c.x.ulike();
        double[] invStd = new double[c.rows];
        assertTrue(RowNormKernels.forward(c.x, c.w, c.b, EPS, c.rows, c.groups, c.channels, c.spatial, y, xhat, invStd));
        INDArray dx = c.x.ulike();
        INDArray dw = c.w.ulike();
        INDArray db = c.w.ulike();
        assertTrue(RowNormKernels.backward(c.g, xhat, invStd, c.w, dw, db, c.rows, c.groups, c.channels, c.spatial, dx));
        return new INDArray[] {y, dx, dw, db};
    }

    @ParameterizedTest(name = "{0} rows={1} groups={2} channels={3} spatial={4}")
    @CsvSource({
        "DOUBLE, 7, 1, 13, 1", "FLOAT, 7, 1, 13, 1", // layer norm
        "DOUBLE, 6, 3, 2, 5", "FLOAT, 6, 3, 2, 5", // group norm, 2 samples of 3 groups
        "FLOAT, 300, 1, 256, 1", // above the parallel threshold
        "FLOAT, 64, 8, 1, 799"}) // instance norm as the speech encoder's first layer
    void forwardAndBackward_matchTheFormulasInDouble(DataType t, int rows, int groups, int channels, int spatial) {
        Case c = Case.of(t, rows, groups, channels, spatial, 11);
        double[][] ref = reference(Case.of(DataType.DOUBLE, rows, groups, channels, spatial, 11));
        INDArray[] got = run(c);
        // float32: a few roundings of values of order 1 to 10; the sums over rows grow with the row count
        double tol = t == DataType.DOUBLE ? 1e-12 : 2e-5;
        String[] names = {"y", "dx", "dw", "db"};
        for (int k = 0; k < 4; k++) {
            double[] v = got[k].data().asDouble();
            double scale = k >= 2 ? Math.sqrt(rows * spatial) : 1;
            for (int i = 0; i < v.length; i++) {
                assertEquals(ref[k][i], v[i], tol * scale * Math.max(1, Math.abs(ref[k][i])), names[k] + "[" + i + "]");
            }
        }
    }

    @Test
    void results_sameBitsForAnyThreadCount() {
        Case c = Case.of(DataType.FLOAT, 400, 1, 128, 1, 12);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            INDArray[] one = run(c);
            Parallel.setThreads(3);
            INDArray[] three = run(c);
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(one[k].data().asFloat(), three[k].data().asFloat(), 0f);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void withoutAffine_outputIsTheStandardisedRows() {
        Case c = Case.of(DataType.DOUBLE, 3, 1, 6, 1, 13);
        INDArray y = c.x.ulike();
        INDArray xhat = c.x.ulike();
        assertTrue(RowNormKernels.forward(c.x, null, null, EPS, 3, 1, 6, 1, y, xhat, new double[3]));
        assertArrayEquals(xhat.data().asDouble(), y.data().asDouble(), 0.0);
        assertEquals(0.0, y.sum(1).amaxNumber().doubleValue(), 1e-12);
        // each row has mean 0 and sum of squares 6 var / (var + eps)
        double[] x = c.x.data().asDouble();
        double[] v = y.data().asDouble();
        for (int r = 0; r < 3; r++) {
            double mean = 0;
            double sum = 0;
            double squares = 0;
            for (int j = 0; j < 6; j++) {
                mean += x[r * 6 + j] / 6;
            }
            double var = 0;
            for (int j = 0; j < 6; j++) {
                var += (x[r * 6 + j] - mean) * (x[r * 6 + j] - mean) / 6;
                sum += v[r * 6 + j];
                squares += v[r * 6 + j] * v[r * 6 + j];
            }
            assertEquals(0.0, sum, 1e-12);
            assertEquals(6 * var / (var + EPS), squares, 1e-12);
        }
    }

    @Test
    void mismatchedOperands_areRefused() {
        Case c = Case.of(DataType.FLOAT, 4, 1, 5, 1, 14);
        INDArray y = c.x.ulike();
        assertFalse(RowNormKernels.forward(c.x, c.w, c.b, EPS, 4, 1, 5, 1, y, Nd4j.create(DataType.FLOAT, 3, 5), new double[4]));
        assertFalse(RowNormKernels.forward(c.x, c.w, c.b, EPS, 4, 1, 5, 1, y, c.x.ulike(), new double[3]));
        assertFalse(RowNormKernels.forward(c.x, c.w.castTo(DataType.DOUBLE), c.b, EPS, 4, 1, 5, 1, y, c.x.ulike(), new double[4]));
        assertFalse(RowNormKernels.forward(c.x, c.w, c.b, EPS, 4, 3, 5, 1, y, c.x.ulike(), new double[4]));
    }
}
