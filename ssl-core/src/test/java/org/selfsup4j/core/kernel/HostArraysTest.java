package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostArraysTest {

    @ParameterizedTest(name = "{0} {1} at {2}")
    @CsvSource({"FLOAT, NaN, 0", "FLOAT, Infinity, 4999", "FLOAT, -Infinity, 2048", "DOUBLE, NaN, 4999",
            "DOUBLE, -Infinity, 0", "DOUBLE, Infinity, 2047"})
    void allFinite_findsOneNonFiniteEntryAnywhere(DataType type, double bad, int at) {
        INDArray a = Nd4j.rand(type, 5000).subi(0.5).muli(1e30);
        assertTrue(HostArrays.allFinite(a));
        a.putScalar(at, bad);
        assertFalse(HostArrays.allFinite(a));
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void allFinite_largestFiniteValues_areFinite(DataType type) {
        double max = type == DataType.FLOAT ? Float.MAX_VALUE : Double.MAX_VALUE;
        INDArray a = Nd4j.createFromArray(max, -max, 0.0, -0.0, Double.MIN_VALUE).castTo(type);
        assertTrue(HostArrays.allFinite(a));
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void viewWithOffset_indexesFromItsFirstElement(DataType type) {
        INDArray base = Nd4j.rand(type, 6, 5);
        INDArray rows = base.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        assertTrue(rows.offset() > 0);
        assertTrue(HostArrays.dense(type, rows));
        INDArray before = base.dup();
        // a NaN just outside the view must not be seen
        base.putScalar(new long[] {1, 4}, Double.NaN);
        assertTrue(HostArrays.allFinite(rows));
        base.putScalar(new long[] {1, 4}, 0.5);
        HostArrays.zero(rows);
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 5; c++) {
                double expected = r == 2 || r == 3 ? 0.0 : (r == 1 && c == 4 ? 0.5 : before.getDouble(r, c));
                assertEquals(expected, base.getDouble(r, c), 0.0, "[" + r + ", " + c + "]");
            }
        }
        double first = type == DataType.FLOAT ? HostArrays.floats(base).get(HostArrays.start(rows) - 1)
                : HostArrays.doubles(base).get(HostArrays.start(rows) - 1);
        assertEquals(0.5, first, 0.0);
    }

    @Test
    void dense_rejectsStridedViewsAndMixedTypes() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 4, 6);
        assertFalse(HostArrays.dense(DataType.FLOAT, m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3))));
        assertFalse(HostArrays.dense(DataType.FLOAT, m.transpose()));
        assertFalse(HostArrays.dense(DataType.FLOAT, m, m.castTo(DataType.DOUBLE)));
        assertFalse(HostArrays.dense(DataType.INT32, m.castTo(DataType.INT32)));
        assertTrue(HostArrays.dense(DataType.FLOAT, m, m.getRow(2)));
    }

    @Test
    void forRange_coversEveryElementOnce_inTheFixedChunksAboveTheThreshold() {
        int n = HostArrays.PARALLEL_THRESHOLD + 12345;
        int[] hits = new int[n];
        AtomicLong calls = new AtomicLong();
        HostArrays.forRange(n, (from, to) -> {
            calls.incrementAndGet();
            for (int i = from; i < to; i++) {
                hits[i]++;
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits[i], "element " + i);
        }
        assertEquals(Parallel.threads() < 2 ? 1 : Parallel.CHUNKS, calls.get());
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE", "LONG"})
    void copy_ofADenseView_isBitExact_andLeavesTheRestOfTheTarget(DataType type) {
        INDArray whole = Nd4j.rand(DataType.DOUBLE, 6, 5000).subi(0.5).muli(1e6).castTo(type);
        INDArray src = whole.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        INDArray dst = Nd4j.zeros(type, 3, 2, 5000);
        INDArray target = dst.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
        HostArrays.copy(src, target);
        assertEquals(src, target);
        assertEquals(0.0, dst.get(NDArrayIndex.point(0)).amaxNumber().doubleValue());
        assertEquals(0.0, dst.get(NDArrayIndex.point(2)).amaxNumber().doubleValue());
    }

    @Test
    void copy_ofAStridedView_fallsBackToAssign() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 40, 30);
        INDArray dst = Nd4j.create(DataType.FLOAT, 30, 40);
        HostArrays.copy(m.transpose(), dst);
        assertEquals(m.transpose(), dst);
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void maxAbs_matchesAmax_andIsNaNWithANaN(DataType type) {
        INDArray a = Nd4j.rand(type, 5000).subi(0.5).muli(1e3);
        a.putScalar(4321, -2e3);
        assertEquals(2e3, HostArrays.maxAbs(a), 1e-3);
        assertEquals(a.amaxNumber().doubleValue(), HostArrays.maxAbs(a));
        // a strided view (every other column, 4321 = row 43, column 21 among them) takes the ND4J path
        INDArray oddColumns = a.reshape(50, 100).get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 100));
        assertEquals(2e3, HostArrays.maxAbs(oddColumns), 1e-3);
        a.putScalar(17, Double.NaN);
        assertTrue(Double.isNaN(HostArrays.maxAbs(a)));
        assertTrue(Double.isNaN(HostArrays.maxAbs(oddColumns)));
    }
}
