package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class StridedCopyTest {

    private static INDArray seq(DataType t, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return Nd4j.arange(n).castTo(t).addi(0.5).reshape('c', shape);
    }

    @Test
    void assign_permutedStridedSourceIntoView_matchesNd4jAssign() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray x = seq(t, 3, 4, 9, 11);
            // a stride-2 tap of the spatial axes, permuted to [C, N, h, w], as ConvCore's im2col reads
            INDArray src = x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9),
                    NDArrayIndex.interval(0, 2, 11)).permute(1, 0, 2, 3);
            INDArray big = Nd4j.zeros(t, 2 * src.length() + 7);
            INDArray dst = big.get(NDArrayIndex.interval(5, 5 + src.length())).reshape(src.shape());
            INDArray expected = src.dup('c');
            StridedCopy.assign(dst, src);
            assertArrayEquals(expected.dup('c').reshape(-1).toDoubleVector(), dst.dup('c').reshape(-1).toDoubleVector(), 0.0);
            assertEquals(0.0, big.getDouble(4), 0.0, "no write before the view");
            assertEquals(0.0, big.getDouble(5 + src.length()), 0.0, "no write after the view");
        }
    }

    @Test
    void addInto_stridedDestination_matchesNd4jAddi() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray target = seq(t, 2, 3, 8, 8);
            INDArray reference = target.dup();
            INDArray src = seq(t, 3, 2, 4, 3).muli(-0.25);
            INDArray dstView = target.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 8),
                    NDArrayIndex.interval(2, 2, 8)).permute(1, 0, 2, 3);
            INDArray refView = reference.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 8),
                    NDArrayIndex.interval(2, 2, 8)).permute(1, 0, 2, 3);
            refView.addi(src);
            StridedCopy.addInto(dstView, src);
            assertArrayEquals(reference.dup('c').reshape(-1).toDoubleVector(), target.dup('c').reshape(-1).toDoubleVector(), 0.0);
        }
    }

    @Test
    void assign_contiguousAndSingletonDims_copiesAll() {
        INDArray src = seq(DataType.FLOAT, 1, 5, 1, 6);
        INDArray dst = Nd4j.zeros(DataType.FLOAT, 1, 5, 1, 6);
        StridedCopy.assign(dst, src);
        assertArrayEquals(src.dup('c').reshape(-1).toDoubleVector(), dst.dup('c').reshape(-1).toDoubleVector(), 0.0);
        INDArray scalarLike = Nd4j.zeros(DataType.FLOAT, 1, 1);
        StridedCopy.assign(scalarLike, Nd4j.ones(DataType.FLOAT, 1, 1).muli(3));
        assertEquals(3.0, scalarLike.getDouble(0), 0.0);
    }
}
