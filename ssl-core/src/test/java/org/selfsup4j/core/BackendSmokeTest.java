package org.selfsup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class BackendSmokeTest {
    @Test
    void matrixProduct_onTestBackend_isCorrect() {
        var a = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        var b = a.mmul(a);
        assertEquals(15.0, b.getDouble(1, 0), 1e-12);
        assertEquals(22.0, b.getDouble(1, 1), 1e-12);
    }
}
