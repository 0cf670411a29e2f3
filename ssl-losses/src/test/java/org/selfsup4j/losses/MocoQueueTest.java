package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MocoQueueTest {

    private static INDArray unitRows(INDArray x) {
        return x.divColumnVector(x.norm2(true, 1));
    }

    @Test
    void constructor_seeded_givesReproducibleUnitRows() {
        MocoQueue a = new MocoQueue(5, 3, DataType.DOUBLE, 7);
        MocoQueue b = new MocoQueue(5, 3, DataType.DOUBLE, 7);
        MocoQueue c = new MocoQueue(5, 3, DataType.DOUBLE, 8);
        assertEquals(a.negatives(), b.negatives());
        assertNotEquals(a.negatives(), c.negatives());
        INDArray norms = a.negatives().norm2(1);
        assertClose(Nd4j.ones(DataType.DOUBLE, 5), norms, 1e-12, "unit rows");
        assertEquals(0, a.pointer());
        assertEquals(0, a.filled());
    }

    @Test
    void enqueue_sizeNotMultipleOfBatch_wrapsAround() {
        MocoQueue queue = new MocoQueue(5, 3, DataType.DOUBLE, 1);
        INDArray b1 = LossTesting.randn(11, DataType.DOUBLE, 2, 3);
        INDArray b2 = LossTesting.randn(12, DataType.DOUBLE, 2, 3);
        INDArray b3 = LossTesting.randn(13, DataType.DOUBLE, 2, 3);
        INDArray initialSlot1 = queue.negatives().getRow(1).dup();
        queue.enqueue(b1);
        assertEquals(2, queue.pointer());
        queue.enqueue(b2);
        assertEquals(4, queue.pointer());
        assertEquals(4, queue.filled());
        queue.enqueue(b3);
        // b3 fills slot 4 and wraps to slot 0; slot 1 still holds b1's second key.
        assertEquals(1, queue.pointer());
        assertEquals(5, queue.filled());
        INDArray q = queue.negatives();
        assertClose(unitRows(b3).getRow(1), q.getRow(0), 1e-14, "slot 0 <- b3[1]");
        assertClose(unitRows(b1).getRow(1), q.getRow(1), 1e-14, "slot 1 <- b1[1]");
        assertClose(unitRows(b2).getRow(0), q.getRow(2), 1e-14, "slot 2 <- b2[0]");
        assertClose(unitRows(b2).getRow(1), q.getRow(3), 1e-14, "slot 3 <- b2[1]");
        assertClose(unitRows(b3).getRow(0), q.getRow(4), 1e-14, "slot 4 <- b3[0]");
        assertNotEquals(initialSlot1, q.getRow(1));
    }

    @Test
    void enqueue_float32KeysIntoDoubleQueue_castsAndNormalizes() {
        MocoQueue queue = new MocoQueue(4, 2, DataType.DOUBLE, 1);
        queue.enqueue(Nd4j.createFromArray(new float[][] {{3, 4}}));
        assertEquals(0.6, queue.negatives().getDouble(0, 0), 1e-7);
        assertEquals(0.8, queue.negatives().getDouble(0, 1), 1e-7);
    }

    @Test
    void enqueue_batchLargerThanQueue_throws() {
        MocoQueue queue = new MocoQueue(3, 2, DataType.FLOAT, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> queue.enqueue(Nd4j.ones(DataType.FLOAT, 4, 2)));
        assertTrue(e.getMessage().contains("MocoQueue.enqueue") && e.getMessage().contains("K = 3"), e.getMessage());
    }

    @Test
    void enqueue_wrongWidth_throws() {
        MocoQueue queue = new MocoQueue(3, 2, DataType.FLOAT, 1);
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(Nd4j.ones(DataType.FLOAT, 1, 3)));
        assertThrows(IllegalArgumentException.class, () -> queue.enqueue(Nd4j.ones(DataType.FLOAT, 2)));
    }

    @Test
    void constructor_badArguments_throw() {
        assertThrows(IllegalArgumentException.class, () -> new MocoQueue(0, 2, DataType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> new MocoQueue(2, 0, DataType.FLOAT, 1));
        assertThrows(IllegalArgumentException.class, () -> new MocoQueue(2, 2, DataType.INT, 1));
    }

    @Test
    void state_restoredByAssign_restoresQueue() {
        MocoQueue queue = new MocoQueue(5, 3, DataType.FLOAT, 3);
        queue.enqueue(LossTesting.randn(1, DataType.FLOAT, 3, 3));
        Map<String, INDArray> saved = Map.of("keys", queue.state().get("keys").dup(),
                "pointer", queue.state().get("pointer").dup(), "filled", queue.state().get("filled").dup());
        queue.enqueue(LossTesting.randn(2, DataType.FLOAT, 4, 3));
        assertNotEquals(saved.get("keys"), queue.negatives());

        MocoQueue restored = new MocoQueue(5, 3, DataType.FLOAT, 99);
        restored.state().forEach((name, live) -> live.assign(saved.get(name)));
        assertEquals(3, restored.pointer());
        assertEquals(3, restored.filled());
        assertEquals(saved.get("keys"), restored.negatives());
        INDArray next = LossTesting.randn(5, DataType.FLOAT, 2, 3);
        restored.enqueue(next);
        assertClose(unitRows(next), restored.negatives().getRows(3, 4), 1e-6, "continues at the restored pointer");
    }
}
