package org.selfsup4j.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fixed work split: boundaries, errors and the ordered reduction, whatever the thread count. */
class ParallelTest {
    private static final int[] THREADS = {1, 2, 3, 4, 8};
    private int before;

    @BeforeEach
    void save() {
        before = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    private static List<String> chunksSeen(int items, int chunks) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Parallel.forEachChunk(items, chunks, true, (c, from, to) -> seen.add(c + ":" + from + "-" + to));
        List<String> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        return sorted;
    }

    @Test
    void forEachChunk_boundaries_doNotDependOnTheThreadCount() {
        Parallel.setThreads(1);
        List<String> reference = chunksSeen(1003, 16);
        assertEquals(16, reference.size());
        for (int t : THREADS) {
            Parallel.setThreads(t);
            assertEquals(reference, chunksSeen(1003, 16), t + " threads");
        }
    }

    @Test
    void forEachChunk_coversEveryItemOnce_inChunksDifferingByAtMostOne() {
        Parallel.setThreads(3);
        int items = 1003;
        int[] hits = new int[items];
        int[] sizes = new int[16];
        Parallel.forEachChunk(items, 16, true, (c, from, to) -> {
            sizes[c] = to - from;
            for (int i = from; i < to; i++) {
                hits[i]++;
            }
        });
        for (int i = 0; i < items; i++) {
            assertEquals(1, hits[i], "item " + i);
        }
        for (int s : sizes) {
            assertTrue(s == items / 16 || s == items / 16 + 1, "chunk size " + s);
        }
        assertEquals(0, Parallel.start(items, 16, 0));
        assertEquals(items, Parallel.start(items, 16, 16));
    }

    @Test
    void forEachChunk_moreChunksThanItems_runsEmptyChunks() {
        Parallel.setThreads(4);
        AtomicInteger items = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Parallel.forEachChunk(3, 8, true, (c, from, to) -> {
            calls.incrementAndGet();
            items.addAndGet(to - from);
        });
        assertEquals(8, calls.get());
        assertEquals(3, items.get());
    }

    @Test
    void forEachChunk_usesSeveralThreads_andRunsSerialWorkOnTheCaller() {
        Parallel.setThreads(2);
        ConcurrentHashMap<Thread, Boolean> ran = new ConcurrentHashMap<>();
        Parallel.forEachChunk(64, 16, false, (c, from, to) -> ran.put(Thread.currentThread(), true));
        assertEquals(Collections.singleton(Thread.currentThread()), ran.keySet());
        ran.clear();
        // a chunk that sleeps leaves the others to the helper, whichever thread starts first
        Parallel.forEachChunk(64, 16, true, (c, from, to) -> {
            ran.put(Thread.currentThread(), true);
            sleep(5);
        });
        assertEquals(2, ran.size());
    }

    @Test
    void sum_addsThePartialsInChunkOrder_forEveryThreadCount() {
        // partials whose float sum depends on the order: 1e16, then +1 eight times, then -1e16, ...
        Parallel.PartialSum body = (c, from, to) -> c % 5 == 0 ? 1e16 * (c % 2 == 0 ? 1 : -1) : 1.0 + c * 1e-3;
        double expected = 0;
        for (int c = 0; c < 16; c++) {
            expected += body.run(c, 0, 0);
        }
        for (int t : THREADS) {
            Parallel.setThreads(t);
            assertEquals(Double.doubleToRawLongBits(expected),
                    Double.doubleToRawLongBits(Parallel.sum(160, 16, true, body)), t + " threads");
        }
    }

    @Test
    void forEachChunk_rethrowsAChunksException_onTheCaller_andStaysUsable() {
        for (int t : THREADS) {
            Parallel.setThreads(t);
            IllegalStateException boom = new IllegalStateException("chunk 5");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Parallel.forEachChunk(100, 16, true, (c, from, to) -> {
                        if (c == 5) {
                            throw boom;
                        }
                    }));
            assertSame(boom, e, t + " threads");
            AssertionError err = new AssertionError("error in a chunk");
            assertSame(err, assertThrows(AssertionError.class, () -> Parallel.forEachChunk(100, 16, true,
                    (c, from, to) -> {
                        if (c == 15) {
                            throw err;
                        }
                    })));
            assertEquals(List.of("0:0-50", "1:50-100"), chunksSeen(100, 2));
        }
    }

    @Test
    void forEachChunk_nestedCall_runsOnTheChunksThread() {
        Parallel.setThreads(4);
        AtomicInteger inner = new AtomicInteger();
        Parallel.forEachChunk(8, 8, true, (c, from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forEachChunk(4, 4, true, (c2, f2, t2) -> {
                assertSame(outer, Thread.currentThread());
                inner.incrementAndGet();
            });
        });
        assertEquals(32, inner.get());
    }

    @Test
    void setThreads_belowOne_throws() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forEachChunk(4, 0, true, (c, f, t) -> { }));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
