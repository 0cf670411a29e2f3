package org.selfsup4j.core.kernel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.selfsup4j.core.Checks;

/**
 * The one work split of every parallel loop of selfsup4j's kernels: a range of items cut into a
 * <em>fixed</em> number of chunks, run on up to {@link #threads()} threads.
 *
 * <p>Determinism: the chunk boundaries depend only on the item count and the chunk count the caller
 * passes, never on the thread count, on load or on which thread runs which chunk; a reduction keeps
 * one partial result per chunk and adds the partials in chunk order ({@link #sum}). So a training run
 * gives bit-identical results with 1, 2, 3 or 16 threads.
 *
 * <p>Threads: {@value #THREADS_PROPERTY} (system property, read once) or {@link #setThreads}, default
 * {@link Runtime#availableProcessors()}. The caller runs chunks too; the other threads are daemon
 * threads of a pool owned by this class (they end with the JVM and never hold it up). A chunk body
 * that itself calls this class runs its chunks on its own thread (no nested fan-out, no deadlock).
 * Callers keep small work on their thread by passing {@code parallel = false} (a fork costs more
 * than it saves below a few hundred thousand elements).
 *
 * <p>Errors: the first exception or error thrown by a chunk is rethrown on the calling thread after
 * every started chunk has finished; chunks not yet started are skipped.
 */
public final class Parallel {
    /** System property with the number of threads (at least 1), read once at class initialisation. */
    static final String THREADS_PROPERTY = "selfsup4j.threads";
    /**
     * Chunks of a split whose chunks need no buffers of their own (element-wise passes, per-row
     * work, per-channel partial sums): enough for 16 cores, and a chunk stays large next to its
     * hand-off cost (microseconds) at the sizes that go parallel at all.
     */
    public static final int CHUNKS = 16;

    private static final ThreadLocal<Boolean> IN_CHUNK = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "selfsup4j-worker");
        t.setDaemon(true);
        return t;
    });
    private static volatile int threads = initialThreads();

    private Parallel() {
    }

    private static int initialThreads() {
        Integer fromProperty = Integer.getInteger(THREADS_PROPERTY);
        int n = fromProperty != null ? fromProperty : Runtime.getRuntime().availableProcessors();
        return Math.max(1, n);
    }

    /** The number of threads parallel loops use, the caller's included. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads (tests, benchmarks; results do not change with it).
     *
     * @param n at least 1
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public static void setThreads(int n) {
        threads = Checks.positive("Parallel.setThreads", "n", n);
    }

    /** The work of one chunk: items {@code [from, to)}, chunk number {@code chunk}. */
    @FunctionalInterface
    public interface Body {
        /**
         * @param chunk the chunk's number, {@code 0 <= chunk < chunks}
         * @param from its first item
         * @param to one past its last item
         */
        void run(int chunk, int from, int to);
    }

    /** A chunk's partial result. */
    @FunctionalInterface
    public interface PartialSum {
        /**
         * @param chunk the chunk's number
         * @param from its first item
         * @param to one past its last item
         * @return the chunk's partial sum
         */
        double run(int chunk, int from, int to);
    }

    /**
     * @param items the item count
     * @param chunks the chunk count
     * @param chunk a chunk number in {@code [0, chunks]}
     * @return the first item of {@code chunk} ({@code items} for {@code chunk == chunks}):
     *     {@code floor(items * chunk / chunks)}, so chunk sizes differ by at most one
     */
    static int start(int items, int chunks, int chunk) {
        return (int) ((long) items * chunk / chunks);
    }

    /**
     * Runs {@code body} on each of {@code chunks} chunks of {@code [0, items)}, possibly on several
     * threads, and returns when all have finished.
     *
     * @param items the item count, {@code >= 0}
     * @param chunks the chunk count, {@code >= 1} (empty chunks run too when {@code chunks > items})
     * @param parallel false to run every chunk on the calling thread, in order
     * @param body the work of one chunk
     */
    public static void forEachChunk(int items, int chunks, boolean parallel, Body body) {
        Checks.positive("Parallel.forEachChunk", "chunks", chunks);
        int workers = Math.min(threads, chunks);
        if (!parallel || workers < 2 || IN_CHUNK.get()) {
            for (int c = 0; c < chunks; c++) {
                body.run(c, start(items, chunks, c), start(items, chunks, c + 1));
            }
            return;
        }
        new Run(items, chunks, body).execute(workers);
    }

    /**
     * The sum of the chunks' partial sums, added in chunk order (so the same for any thread count).
     *
     * @param items the item count
     * @param chunks the chunk count
     * @param parallel false to run every chunk on the calling thread
     * @param body a chunk's partial sum
     * @return {@code ((p[0] + p[1]) + p[2]) + ...}
     */
    public static double sum(int items, int chunks, boolean parallel, PartialSum body) {
        double[] partial = new double[chunks];
        forEachChunk(items, chunks, parallel, (c, from, to) -> partial[c] = body.run(c, from, to));
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /** One parallel loop: chunks handed out in order from a counter to the caller and the helpers. */
    private static final class Run implements Runnable {
        private final int items;
        private final int chunks;
        private final Body body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger helpersLeft = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Run(int items, int chunks, Body body) {
            this.items = items;
            this.chunks = chunks;
            this.body = body;
        }

        void execute(int workers) {
            helpersLeft.set(workers - 1);
            for (int i = 1; i < workers; i++) {
                POOL.execute(this);
            }
            IN_CHUNK.set(true);
            try {
                work();
            } finally {
                IN_CHUNK.set(false);
            }
            boolean interrupted = false;
            while (helpersLeft.get() > 0) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }

        @Override
        public void run() {
            IN_CHUNK.set(true);
            try {
                work();
            } finally {
                IN_CHUNK.set(false);
                if (helpersLeft.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        private void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                if (failure.get() != null) {
                    return;
                }
                try {
                    body.run(c, start(items, chunks, c), start(items, chunks, c + 1));
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                    return;
                }
            }
        }
    }
}
