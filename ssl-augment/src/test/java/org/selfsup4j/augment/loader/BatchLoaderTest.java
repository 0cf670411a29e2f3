package org.selfsup4j.augment.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewBatch;

class BatchLoaderTest {

    private static int liveLoaderThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(BatchLoader.THREAD_PREFIX) && t.isAlive()) {
                n++;
            }
        }
        return n;
    }

    @AfterEach
    void noThreadOutlivesItsLoader() {
        assertEquals(0, liveLoaderThreads(), "loader threads alive after the test");
    }

    private static List<FloatImage> images(int n) {
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] d = new float[3 * 20 * 24];
            for (int k = 0; k < d.length; k++) {
                d[k] = ((k * 31 + i * 17) % 97) / 96f;
            }
            out.add(new FloatImage(d, 3, 20, 24));
        }
        return out;
    }

    private static List<ViewBatch> epoch(List<FloatImage> imgs, ViewPipeline<FloatImage> p, int workers) {
        List<ViewBatch> out = new ArrayList<>();
        try (BatchLoader<List<FloatImage>, ViewBatch> l = ImageCollate.loader(imgs, p, 99).batchSize(8).workers(workers)
                .epoch(2).build()) {
            while (l.hasNext()) {
                out.add(l.next());
            }
        }
        return out;
    }

    @Test
    void batches_identical_with1_2_4Workers() {
        List<FloatImage> imgs = images(40);
        ViewPipeline<FloatImage> p = ImageRecipes.simclrCifar();
        List<ViewBatch> one = epoch(imgs, p, 1);
        assertEquals(5, one.size());
        for (int w : new int[] {2, 4}) {
            List<ViewBatch> other = epoch(imgs, p, w);
            assertEquals(one.size(), other.size());
            for (int b = 0; b < one.size(); b++) {
                assertArrayEquals(one.get(b).sampleIndices(), other.get(b).sampleIndices());
                for (int v = 0; v < 2; v++) {
                    assertArrayEquals(one.get(b).data().get(v), other.get(b).data().get(v), 0f, w + " workers, batch " + b);
                }
            }
        }
        int[] seen = one.stream().flatMapToInt(b -> Arrays.stream(b.sampleIndices())).sorted().toArray();
        int[] all = new int[40];
        Arrays.setAll(all, i -> i);
        assertArrayEquals(all, seen, "every sample once per epoch");
        assertFalse(Arrays.equals(all, one.stream().flatMapToInt(b -> Arrays.stream(b.sampleIndices())).toArray()),
                "shuffled");
    }

    @Test
    void workerException_reachesWaitingConsumer_withinOneSecond_withSampleIndex() throws Exception {
        int[] order = BatchLoader.epochOrder(64, true, 5, 0);
        int blocker = order[0];
        int bad = order[9];
        CountDownLatch thrown = new CountDownLatch(1);
        long[] thrownAt = new long[1];
        // Batch 0 never finishes (its first sample blocks), so the consumer is waiting on it when a
        // sample of batch 1 fails: the failure must still reach it at once.
        SampleFunction<Integer> fn = (e, i) -> {
            if (i == blocker) {
                Thread.sleep(60_000);
            }
            if (i == bad) {
                thrownAt[0] = System.nanoTime();
                thrown.countDown();
                throw new IllegalStateException("corrupt sample");
            }
            return i;
        };
        try (BatchLoader<Integer, List<Integer>> l = BatchLoader.builder(fn, (s, idx) -> s).datasetSize(64).batchSize(8)
                .workers(2).seed(5).build()) {
            SampleLoadException ex = assertThrows(SampleLoadException.class, l::next);
            long caught = System.nanoTime();
            assertTrue(thrown.await(1, TimeUnit.SECONDS));
            assertEquals(bad, ex.position().sampleIndex());
            assertEquals(1, ex.position().batchIndex());
            assertTrue(ex.getMessage().contains("sample " + bad), ex.getMessage());
            assertTrue(ex.getCause() instanceof IllegalStateException);
            assertTrue(caught - thrownAt[0] < TimeUnit.SECONDS.toNanos(1), "delay " + (caught - thrownAt[0]) / 1e6 + " ms");
        }
    }

    @Test
    void close_duringFullQueue_returnsPromptly_andStopsAllThreads() throws Exception {
        AtomicInteger produced = new AtomicInteger();
        BatchLoader<Integer, List<Integer>> l = BatchLoader.builder((e, i) -> {
            produced.incrementAndGet();
            return i;
        }, (s, idx) -> s).datasetSize(1000).batchSize(10).workers(3).prefetch(2).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (produced.get() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        assertEquals(20, produced.get(), "the window holds exactly 2 batches of 10 while nobody consumes");
        assertEquals(3, liveLoaderThreads());
        long t0 = System.nanoTime();
        l.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "close took too long");
        assertEquals(0, liveLoaderThreads());
        assertThrows(IllegalStateException.class, l::next);
        assertFalse(l.hasNext());
    }

    @Test
    void close_whileWorkersBusyInSlowSamples_interruptsThem() {
        BatchLoader<Integer, List<Integer>> l = BatchLoader.builder((e, i) -> {
            Thread.sleep(30_000);
            return i;
        }, (s, idx) -> s).datasetSize(100).batchSize(10).workers(4).build();
        long t0 = System.nanoTime();
        l.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, liveLoaderThreads());
    }

    @Test
    void consumerWait_isRecorded() {
        try (BatchLoader<Integer, List<Integer>> l = BatchLoader.builder((e, i) -> {
            Thread.sleep(2);
            return i;
        }, (s, idx) -> s).datasetSize(20).batchSize(10).workers(1).shuffle(false).build()) {
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), l.next());
            l.next();
            assertFalse(l.hasNext());
            assertTrue(l.waitNanos() >= TimeUnit.MILLISECONDS.toNanos(15), "waited " + l.waitNanos());
            assertTrue(l.dataWaitFraction() > 0 && l.dataWaitFraction() <= 1);
        }
    }

    @Test
    void dropLast_false_keepsSmallLastBatch() {
        try (BatchLoader<Integer, List<Integer>> l = BatchLoader.builder((e, i) -> i, (s, idx) -> s).datasetSize(25)
                .batchSize(10).dropLast(false).shuffle(false).build()) {
            assertEquals(3, l.numBatches());
            l.next();
            l.next();
            assertEquals(List.of(20, 21, 22, 23, 24), l.next());
        }
    }

    @Test
    void badSettings_throwNamingSetting() {
        SampleFunction<Integer> f = (e, i) -> i;
        Collator<Integer, List<Integer>> c = (s, idx) -> s;
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder(f, c).datasetSize(10).batchSize(0).build());
        assertTrue(a.getMessage().contains("batchSize") && a.getMessage().contains("0"));
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder(f, c).datasetSize(10).batchSize(20).build());
        assertTrue(b.getMessage().contains("20"));
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder(f, c).datasetSize(10).batchSize(2).workers(-1).build());
        assertTrue(w.getMessage().contains("workers") && w.getMessage().contains("-1"));
    }
}
