package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exchange's pieces: the payload codec, the message header check, the threads' collective. */
class CollectiveTest {

    /** A collective that exchanges nothing, to reach the base class's checks. */
    private static final class Silent extends Collective {
        Silent(int rank, int worldSize) {
            super(rank, worldSize);
        }

        @Override
        public List<byte[]> allGather(String tag, byte[] payload) {
            return List.of(payload);
        }
    }

    @Test
    void collective_rankOutsideWorldOrNoWorkers_throwsNamingBoth() {
        Silent last = new Silent(2, 3);
        assertEquals(2, last.rank());
        assertEquals(3, last.worldSize());
        for (int[] bad : new int[][] {{3, 3}, {-1, 3}, {0, 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Silent(bad[0], bad[1]));
            assertTrue(e.getMessage().contains("got rank " + bad[0] + " of " + bad[1]), e.getMessage());
        }
        // the metered view is the inner collective's worker
        MeteredCollective metered = new MeteredCollective(last);
        assertEquals(2, metered.rank());
        assertEquals(3, metered.worldSize());
    }

    @Test
    void arraysRoundTripInTheirOwnPrecision() {
        INDArray d = Nd4j.createFromArray(new double[][] {{1.0 / 3, -2e-300}, {Math.PI, 7}});
        INDArray f = Nd4j.createFromArray(new float[] {1.5f, -0.1f, 3e30f});
        byte[] bytes = ArrayBytes.encode(List.of(d, f));
        assertEquals(4 * 8 + 3 * 4, bytes.length, "8 bytes per double, 4 per float, no header");
        INDArray d2 = Nd4j.create(DataType.DOUBLE, 2, 2);
        INDArray f2 = Nd4j.create(DataType.FLOAT, 3);
        ArrayBytes.decodeInto(bytes, List.of(d2, f2));
        assertEquals(d, d2);
        assertEquals(f, f2);
        double[] acc = {1, 1, 1, 1, 1, 1, 1};
        ArrayBytes.addTo(bytes, List.of(d2, f2), acc);
        assertEquals(1 + Math.PI, acc[2], 0);
        assertEquals(1 + 1.5f, acc[4], 0);
        assertThrows(IllegalArgumentException.class, () -> ArrayBytes.decodeInto(bytes, List.of(d2)));
    }

    @Test
    void barrierMessagesCarryTagAndRankAndRefuseOthers() {
        byte[] payload = {0, 1, 2, (byte) 255};
        String m = BarrierCollective.Messages.encode("gradients#4", 2, payload);
        assertArrayEquals(payload, BarrierCollective.Messages.decode(m, "gradients#4", 2));
        IllegalStateException step = assertThrows(IllegalStateException.class,
                () -> BarrierCollective.Messages.decode(m, "gradients#5", 2));
        assertTrue(step.getMessage().contains("out of step"), step.getMessage());
        assertThrows(IllegalStateException.class, () -> BarrierCollective.Messages.decode(m, "gradients#4", 1));
        assertThrows(IllegalStateException.class, () -> BarrierCollective.Messages.decode("garbage", "x", 0));
    }

    @Test
    void threadsGatherInRankOrderAndFailTogetherOnATagMismatch() throws Exception {
        ThreadCollective.Group group = new ThreadCollective.Group(2, 30);
        CompletableFuture<List<byte[]>> one = CompletableFuture.supplyAsync(
                () -> group.member(1).allGather("a", new byte[] {11}));
        List<byte[]> zero = group.member(0).allGather("a", new byte[] {10, 10});
        assertArrayEquals(new byte[] {10, 10}, zero.get(0));
        assertArrayEquals(new byte[] {11}, zero.get(1));
        assertArrayEquals(new byte[] {11}, one.get().get(1));

        CompletableFuture<List<byte[]>> late = CompletableFuture.supplyAsync(
                () -> group.member(1).allGather("b#1", new byte[] {1}));
        assertThrows(IllegalStateException.class, () -> group.member(0).allGather("b#2", new byte[] {0}));
        ExecutionException e = assertThrows(ExecutionException.class, late::get);
        assertTrue(e.getCause().getMessage().contains("out of step"), e.getCause().getMessage());
    }
}
