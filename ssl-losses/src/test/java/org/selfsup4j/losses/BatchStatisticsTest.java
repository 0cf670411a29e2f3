package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchStatisticsTest {

    @Test
    void center_subtractsColumnMeansInPlace() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 10}, {3, 20}, {5, 60}});
        assertSame(x, BatchStatistics.center(x));
        assertArrayEquals(new double[] {-2, -20, 0, -10, 2, 30}, x.reshape(6).toDoubleVector(), 1e-12);
    }

    @Test
    void standardize_byHand_matchesBiasedVarianceWithEps() {
        // column 0: mean 2, biased var 1 -> (x - 2) / sqrt(1 + eps); column 1 constant -> 0, sigma sqrt(eps)
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 7}, {3, 7}});
        double eps = 1e-5;
        INDArray sigma = BatchStatistics.standardize(x, eps, Nd4j.create(DataType.DOUBLE, 2, 2));
        assertArrayEquals(new double[] {Math.sqrt(1 + eps), Math.sqrt(eps)}, sigma.reshape(2).toDoubleVector(), 1e-12);
        double s = 1 / Math.sqrt(1 + eps);
        assertArrayEquals(new double[] {-s, 0, s, 0}, x.reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void diagonal_isAWritableViewOfTheMainDiagonal() {
        INDArray c = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        INDArray diag = BatchStatistics.diagonal(c);
        assertArrayEquals(new double[] {1, 5, 9}, diag.toDoubleVector(), 0);
        diag.assign(0.0);
        assertEquals(0.0, c.getDouble(1, 1), 0);
        assertEquals(2.0, c.getDouble(0, 1), 0);
    }
}
