package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CollapseMonitorTest {

    @Test
    void embeddingStd_orthogonalPair_isSqrtHalf() {
        // u = rows of the identity: each column holds {1, 0}, sample std sqrt(1/2)
        INDArray z = Nd4j.createFromArray(new float[][] {{3, 0}, {0, 0.5f}});
        assertEquals(Math.sqrt(0.5), CollapseMonitor.embeddingStd(z), 1e-7);
    }

    @Test
    void embeddingStd_collapsedBatch_isZero() {
        INDArray z = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {2, 4, 6}, {0.5, 1, 1.5}});
        // only the 1e-12 added to each norm separates the rows
        assertEquals(0.0, CollapseMonitor.embeddingStd(z), 1e-12);
    }

    @Test
    void embeddingStd_hostPass_equalsNd4jFormulation_onViewsFloatAndDouble() {
        Nd4j.getRandom().setSeed(7);
        INDArray all = Nd4j.randn(DataType.FLOAT, 128, 64);
        INDArray view = all.get(NDArrayIndex.interval(64, 128), NDArrayIndex.all());
        double host = CollapseMonitor.embeddingStd(view);
        assertEquals(CollapseMonitor.nd4j(view), host, 1e-12);
        INDArray d = view.castTo(DataType.DOUBLE);
        assertEquals(CollapseMonitor.nd4j(d), CollapseMonitor.embeddingStd(d), 1e-12);
        // rank 3 is flattened per sample
        INDArray r3 = Nd4j.randn(DataType.DOUBLE, 10, 4, 3);
        assertEquals(CollapseMonitor.nd4j(r3), CollapseMonitor.embeddingStd(r3), 1e-12);
        // and a strided view takes the ND4J path with the same definition
        INDArray cols = all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8));
        assertEquals(CollapseMonitor.nd4j(cols.dup()), CollapseMonitor.embeddingStd(cols), 1e-12);
    }

    @Test
    void embeddingStd_singleRow_throws() {
        assertThrows(IllegalArgumentException.class, () -> CollapseMonitor.embeddingStd(Nd4j.ones(1, 4)));
    }
}
