package org.selfsup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChecksTest {

    @Test
    void valueChecks_returnTheirArgument() {
        assertEquals(3, Checks.positive("W", "n", 3));
        assertEquals(0.5, Checks.positive("W", "t", 0.5));
        assertEquals(0.0, Checks.nonNegative("W", "wd", 0.0));
        assertEquals(1.0, Checks.probability("W", "p", 1.0));
        assertEquals(0.99, Checks.unitInterval("W", "m", 0.99));
        assertEquals("x", Checks.notNull("W", "s", "x"));
    }

    @Test
    void positive_nonFiniteOrZero_namesPlaceArgumentAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.positive("NtXentLoss", "temperature", Double.NaN));
        assertEquals("NtXentLoss: temperature must be finite and > 0, got NaN", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.positive("W", "t", Double.POSITIVE_INFINITY));
        assertEquals("W: n must be > 0, got 0",
                assertThrows(IllegalArgumentException.class, () -> Checks.positive("W", "n", 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.positive("W", "n", -1L));
    }

    @Test
    void rangeChecks_refuseOutside() {
        assertThrows(IllegalArgumentException.class, () -> Checks.probability("W", "p", 1.0001));
        assertThrows(IllegalArgumentException.class, () -> Checks.probability("W", "p", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Checks.unitInterval("W", "m", 1.0));
        assertThrows(IllegalArgumentException.class, () -> Checks.orderedRange("W", "scale", 0.9, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Checks.orderedRange("W", "scale", 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Checks.inRange("W", "k", 5L, 0L, 4L));
        assertThrows(IllegalArgumentException.class, () -> Checks.nonNegative("W", "wd", -0.1));
        assertThrows(IllegalArgumentException.class, () -> Checks.finite("W", "x", Double.NEGATIVE_INFINITY));
        Checks.orderedRange("W", "scale", 0.08, 1.0);
    }

    @Test
    void matrix_wrongRank_namesShape() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checks.matrix("L", "z1", x));
        assertEquals("L: z1 must have rank 2 [N, D], got rank 3 with shape [2, 3, 4]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.matrix("L", "z1", null));
        assertThrows(IllegalArgumentException.class, () -> Checks.matrix("L", "z1", Nd4j.zeros(DataType.INT, 2, 3)));
        INDArray ok = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertSame(ok, Checks.matrix("L", "z1", ok));
    }

    @Test
    void arrayChecks_shapeAndType() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3);
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 2, 4);
        assertThrows(IllegalArgumentException.class, () -> Checks.sameShape("L", "a", a, "b", b));
        assertThrows(IllegalArgumentException.class, () -> Checks.sameType("L", "a", a, "b", b));
        assertThrows(IllegalArgumentException.class, () -> Checks.shapeEquals("L", "g", a, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> Checks.dataType("L", "x", a, DataType.DOUBLE));
        assertThrows(IllegalArgumentException.class, () -> Checks.floatType("L", DataType.HALF));
        assertThrows(IllegalArgumentException.class, () -> Checks.nonEmpty("L", "x", Nd4j.create(DataType.FLOAT, 0)));
        assertSame(a, Checks.shapeEquals("L", "g", a, 2, 3));
    }

    @Test
    void argumentAndState_throwTheirTypes() {
        assertThrows(IllegalArgumentException.class, () -> Checks.argument(false, "W", "bad"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checks.state(false, "Linear.backward", "backward called before forward"));
        assertEquals("Linear.backward: backward called before forward", e.getMessage());
        Checks.argument(true, "W", "fine");
        Checks.state(true, "W", "fine");
    }

    @Test
    void matrixPair_mismatchedShapeOrType_namesBothArguments() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 2, 3);
        Checks.matrixPair("L", "z1", a, "z2", Nd4j.zeros(DataType.FLOAT, 2, 3));
        assertEquals("L: z1 and z2 must have the same shape, got [2, 3] and [2, 4]",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.matrixPair("L", "z1", a, "z2", Nd4j.zeros(DataType.FLOAT, 2, 4))).getMessage());
        assertEquals("L: z1 and z2 must have the same data type, got FLOAT and DOUBLE",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.matrixPair("L", "z1", a, "z2", Nd4j.zeros(DataType.DOUBLE, 2, 3))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.matrixPair("L", "z1", a, "z2", null));
    }

    @Test
    void minRows_tooFew_namesReasonAndShape() {
        INDArray one = Nd4j.zeros(DataType.FLOAT, 1, 3);
        assertEquals("V: z must have at least 2 rows (the unbiased variance needs N >= 2), got shape [1, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.minRows("V", "z", one, 2, "the unbiased variance needs N >= 2")).getMessage());
        assertSame(one, Checks.minRows("V", "z", one, 1, "any"));
    }

    @Test
    void intSize_beyondIntIndexing_throws() {
        assertEquals(7, Checks.intSize("K", "N", 7L));
        assertEquals("K: D is too large for int indexing, got 2147483647",
                assertThrows(IllegalArgumentException.class, () -> Checks.intSize("K", "D", Integer.MAX_VALUE))
                        .getMessage());
    }

    @Test
    void floating_integerArray_namesArgumentAndType() {
        assertEquals("L: logits must be FLOAT or DOUBLE, got INT",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.floating("L", "logits", Nd4j.zeros(DataType.INT, 2))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checks.floating("L", "logits", null));
    }

    @Test
    void numericMatrix_takesIntegersRefusesEmptyAndBool() {
        INDArray ints = Nd4j.zeros(DataType.INT, 2, 3);
        assertSame(ints, Checks.numericMatrix("E", "x", ints));
        assertEquals("E: x must be a non-empty rank-2 array [N, D], got shape [0, 3]",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.numericMatrix("E", "x", Nd4j.create(DataType.FLOAT, 0, 3))).getMessage());
        assertEquals("E: x must be numeric, got BOOL",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.numericMatrix("E", "x", Nd4j.create(DataType.BOOL, 2, 3))).getMessage());
    }

    @Test
    void divisible_namesBothSizes() {
        assertEquals(12, Checks.divisible("GroupNorm", "channels", 12, "groups", 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.divisible("MultiHeadSelfAttention", "dim", 10, "heads", 4));
        assertEquals("MultiHeadSelfAttention: dim must be divisible by heads, got dim 10 and heads 4", e.getMessage());
    }

    @Test
    void parts_returnsPartSize_checksBothPositiveThenDivisible() {
        assertEquals(3, Checks.parts("GroupNorm", "channels", 12, "groups", 4));
        assertEquals("MultiHeadSelfAttention: dim must be > 0, got 0", assertThrows(IllegalArgumentException.class,
                () -> Checks.parts("MultiHeadSelfAttention", "dim", 0, "heads", 0)).getMessage());
        assertEquals("MultiHeadSelfAttention: heads must be > 0, got 0", assertThrows(IllegalArgumentException.class,
                () -> Checks.parts("MultiHeadSelfAttention", "dim", 8, "heads", 0)).getMessage());
        assertEquals("MultiHeadSelfAttention: dim must be divisible by heads, got dim 10 and heads 4",
                assertThrows(IllegalArgumentException.class,
                        () -> Checks.parts("MultiHeadSelfAttention", "dim", 10, "heads", 4)).getMessage());
    }

    @Test
    void gradOutput_beforeForward_throwsStateWithoutReadingTheOutput() {
        INDArray g = Nd4j.zeros(DataType.FLOAT, 2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checks.gradOutput("ReLU.backward", false, g, (INDArray) null));
        assertEquals("ReLU.backward: backward called before forward", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Checks.gradOutput("Flatten.backward", false, g, (long[]) null));
    }

    @Test
    void gradOutput_checksTheOutputShape() {
        INDArray g = Nd4j.zeros(DataType.FLOAT, 2, 3);
        assertSame(g, Checks.gradOutput("W.backward", true, g, Nd4j.ones(DataType.FLOAT, 2, 3)));
        assertSame(g, Checks.gradOutput("W.backward", true, g, new long[] {2, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checks.gradOutput("Linear.backward", true, g, new long[] {2, 4}));
        assertEquals("Linear.backward: gradOutput must have shape [2, 4], got [2, 3]", e.getMessage());
    }
}
