package org.selfsup4j.augment.loader;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.Seeds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the batches of one epoch on worker threads, ahead of the consumer, in order.
 *
 * <p>The epoch's sample order is fixed up front (a permutation drawn from
 * {@code Seeds.mix(seed, epoch)} when shuffling, else 0..n-1). Workers claim whole batches in order;
 * at most {@code prefetch} batches are claimed but not yet consumed (the bounded queue). The consumer
 * receives batch k as the k-th result whatever the number of workers or their timing, so with a pure
 * {@link SampleFunction} the batches are the same with 1, 2 or 4 workers.
 *
 * <p>A failure on a worker is recorded at once and wakes the consumer, which throws a
 * {@link SampleLoadException} naming the sample from {@link #next()} (immediately if it is waiting,
 * otherwise on its next call). {@link #close()} stops every worker (interrupting them and waiting for
 * them to finish their current sample) and is safe while the window is full or the consumer is away.
 * Worker threads are daemons named {@code selfsup4j-loader-<id>-worker-<i>}.
 *
 * <p>Not thread-safe for several consumers: one thread calls {@code hasNext/next}.
 *
 * @param <S> the sample type
 * @param <B> the batch type
 */
public final class BatchLoader<S, B> implements java.util.Iterator<B>, AutoCloseable {
    /** Prefix of every worker thread's name. */
    public static final String THREAD_PREFIX = "selfsup4j-loader-";
    private static final Logger LOG = LoggerFactory.getLogger(BatchLoader.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final SampleFunction<S> sampleFn;
    private final Collator<S, B> collator;
    private final long epoch;
    private final int batchSize;
    private final int[] order;
    private final int numBatches;
    private final int prefetch;
    private final List<Thread> workers;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyChanged = lock.newCondition();
    private final Condition windowChanged = lock.newCondition();
    private final Map<Integer, B> ready = new HashMap<>();
    private int nextToClaim;
    private int consumed;
    private volatile boolean closed;
    private SampleLoadException failure;
    private long waitNanos;
    private long firstNextNanos = -1;

    private BatchLoader(Builder<S, B> b) {
        this.sampleFn = b.sampleFn;
        this.collator = b.collator;
        this.epoch = b.epoch;
        this.batchSize = b.batchSize;
        this.order = epochOrder(b.datasetSize, b.shuffle, b.seed, b.epoch);
        this.numBatches = b.dropLast ? b.datasetSize / b.batchSize : (b.datasetSize + b.batchSize - 1) / b.batchSize;
        this.prefetch = b.prefetch;
        if (b.startBatch > numBatches) {
            throw new IllegalArgumentException("BatchLoader.build: startBatch must be in [0, " + numBatches + "], got "
                    + b.startBatch);
        }
        this.nextToClaim = b.startBatch;
        this.consumed = b.startBatch;
        long id = IDS.incrementAndGet();
        List<Thread> ts = new ArrayList<>(b.workers);
        for (int i = 0; i < b.workers; i++) {
            Thread t = new Thread(this::workerLoop, THREAD_PREFIX + id + "-worker-" + i);
            t.setDaemon(true);
            ts.add(t);
        }
        this.workers = List.copyOf(ts);
        for (Thread t : workers) {
            t.start();
        }
    }

    /**
     * @param sampleFn makes one sample
     * @param collator assembles a batch
     * @param <S> sample type
     * @param <B> batch type
     * @return a builder
     */
    public static <S, B> Builder<S, B> builder(SampleFunction<S> sampleFn, Collator<S, B> collator) {
        return new Builder<>(sampleFn, collator);
    }

    /**
     * The sample order of an epoch: a Fisher-Yates permutation from {@code Seeds.mix(seed, epoch)}, or
     * the identity.
     *
     * @param n dataset size
     * @param shuffle whether to shuffle
     * @param seed run seed
     * @param epoch epoch
     * @return the dataset indices in epoch order
     */
    public static int[] epochOrder(int n, boolean shuffle, long seed, long epoch) {
        if (shuffle) {
            return Seeds.permutation(n, new SplittableRandom(Seeds.mix(seed, epoch)));
        }
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    /** @return the number of batches in this epoch */
    public int numBatches() {
        return numBatches;
    }

    /**
     * @param batch batch index
     * @return the dataset indices of that batch, in order
     */
    public int[] batchIndices(int batch) {
        if (batch < 0 || batch >= numBatches) {
            throw new IllegalArgumentException("BatchLoader.batchIndices: batch must be in [0, " + numBatches
                    + "), got " + batch);
        }
        int from = batch * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] out = new int[to - from];
        System.arraycopy(order, from, out, 0, out.length);
        return out;
    }

    @Override
    public boolean hasNext() {
        lock.lock();
        try {
            return !closed && consumed < numBatches;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the next batch in order.
     *
     * @return the batch
     * @throws SampleLoadException when a worker failed
     * @throws NoSuchElementException after the last batch
     * @throws IllegalStateException after close, or when interrupted while waiting
     */
    @Override
    public B next() {
        long t0 = System.nanoTime();
        lock.lock();
        try {
            if (firstNextNanos < 0) {
                firstNextNanos = t0;
            }
            if (closed) {
                throw new IllegalStateException("BatchLoader.next: loader is closed");
            }
            if (consumed >= numBatches) {
                throw new NoSuchElementException("BatchLoader.next: all " + numBatches + " batches consumed");
            }
            while (failure == null && !closed && !ready.containsKey(consumed)) {
                try {
                    readyChanged.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("BatchLoader.next: interrupted while waiting for batch " + consumed, e);
                }
            }
            if (failure != null) {
                SampleLoadException f = failure;
                throw new SampleLoadException(f.getMessage(), f.position(), f.getCause());
            }
            if (closed) {
                throw new IllegalStateException("BatchLoader.next: loader was closed while waiting");
            }
            B b = ready.remove(consumed);
            consumed++;
            windowChanged.signalAll();
            return b;
        } finally {
            waitNanos += System.nanoTime() - t0;
            lock.unlock();
        }
    }

    /** @return total time the consumer spent inside {@link #next()}, in nanoseconds */
    public long waitNanos() {
        lock.lock();
        try {
            return waitNanos;
        } finally {
            lock.unlock();
        }
    }

    /** @return nanoseconds since the first call of {@link #next()} (0 before it) */
    public long elapsedNanos() {
        lock.lock();
        try {
            return firstNextNanos < 0 ? 0 : System.nanoTime() - firstNextNanos;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the share of time since the first {@link #next()} that the consumer spent waiting for
     *     data, in [0, 1] (the "data wait" of a training loop)
     */
    public double dataWaitFraction() {
        long el = elapsedNanos();
        return el == 0 ? 0 : Math.min(1.0, (double) waitNanos() / el);
    }

    /** Stops every worker and waits for them; idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ready.clear();
            readyChanged.signalAll();
            windowChanged.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : workers) {
            t.interrupt();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
        for (Thread t : workers) {
            while (t.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    LOG.warn("BatchLoader.close: worker {} did not stop within {} ms (sample function ignores interrupts?)",
                            t.getName(), JOIN_TIMEOUT_MS);
                    break;
                }
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void workerLoop() {
        try {
            while (true) {
                int k;
                lock.lock();
                try {
                    while (!closed && failure == null && nextToClaim < numBatches && nextToClaim >= consumed + prefetch) {
                        windowChanged.await();
                    }
                    if (closed || failure != null || nextToClaim >= numBatches) {
                        return;
                    }
                    k = nextToClaim++;
                } finally {
                    lock.unlock();
                }
                B batch = produce(k);
                if (batch == null) {
                    return;
                }
                lock.lock();
                try {
                    if (closed) {
                        return;
                    }
                    ready.put(k, batch);
                    readyChanged.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts: just stop
        }
    }

    /** Makes batch k, or records the failure and returns null. */
    private B produce(int k) {
        int[] idx = batchIndices(k);
        List<S> samples = new ArrayList<>(idx.length);
        for (int i : idx) {
            if (closed) {
                return null;
            }
            try {
                samples.add(sampleFn.load(epoch, i));
            } catch (Throwable e) {
                if (closed) {
                    return null;
                }
                fail(new SampleLoadException("BatchLoader: sample " + i + " (epoch " + epoch + ", batch " + k
                        + ") failed: " + e, new SampleLoadException.Position(epoch, k, i), e));
                return null;
            }
        }
        try {
            return collator.collate(samples, idx);
        } catch (Throwable e) {
            if (!closed) {
                fail(new SampleLoadException("BatchLoader: collating batch " + k + " (epoch " + epoch + ") failed: " + e,
                        new SampleLoadException.Position(epoch, k, -1), e));
            }
            return null;
        }
    }

    private void fail(SampleLoadException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
            readyChanged.signalAll();
            windowChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Settings of a loader; {@link #build()} starts its workers.
     *
     * @param <S> sample type
     * @param <B> batch type
     */
    public static final class Builder<S, B> {
        private final SampleFunction<S> sampleFn;
        private final Collator<S, B> collator;
        private int datasetSize = -1;
        private int batchSize = -1;
        private int workers = 2;
        private int prefetch = -1;
        private long seed;
        private long epoch;
        private boolean shuffle = true;
        private boolean dropLast = true;
        private int startBatch;

        private Builder(SampleFunction<S> sampleFn, Collator<S, B> collator) {
            if (sampleFn == null || collator == null) {
                throw new IllegalArgumentException("BatchLoader.builder: sampleFn and collator must not be null");
            }
            this.sampleFn = sampleFn;
            this.collator = collator;
        }

        /** @param n number of samples in the dataset, &gt; 0 @return this */
        public Builder<S, B> datasetSize(int n) {
            this.datasetSize = n;
            return this;
        }

        /** @param n samples per batch, &gt; 0 @return this */
        public Builder<S, B> batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** @param n worker threads, &gt; 0 (default 2) @return this */
        public Builder<S, B> workers(int n) {
            this.workers = n;
            return this;
        }

        /** @param n batches claimed ahead of the consumer, &gt; 0 (default 2 per worker) @return this */
        public Builder<S, B> prefetch(int n) {
            this.prefetch = n;
            return this;
        }

        /** @param s run seed @return this */
        public Builder<S, B> seed(long s) {
            this.seed = s;
            return this;
        }

        /** @param e epoch, &gt;= 0 @return this */
        public Builder<S, B> epoch(long e) {
            this.epoch = e;
            return this;
        }

        /** @param s whether to shuffle the epoch (default true) @return this */
        public Builder<S, B> shuffle(boolean s) {
            this.shuffle = s;
            return this;
        }

        /** @param d whether to drop a last, smaller batch (default true) @return this */
        public Builder<S, B> dropLast(boolean d) {
            this.dropLast = d;
            return this;
        }

        /** @param k first batch to load (resuming mid-epoch), &gt;= 0 (default 0) @return this */
        public Builder<S, B> startBatch(int k) {
            this.startBatch = k;
            return this;
        }

        /** @return a started loader */
        public BatchLoader<S, B> build() {
            Checks.positive("BatchLoader.build", "datasetSize", datasetSize);
            Checks.positive("BatchLoader.build", "batchSize", batchSize);
            if (dropLast && batchSize > datasetSize) {
                throw new IllegalArgumentException("BatchLoader.build: batchSize must be <= datasetSize with dropLast, got "
                        + batchSize + " > " + datasetSize);
            }
            Checks.positive("BatchLoader.build", "workers", workers);
            Checks.nonNegative("BatchLoader.build", "epoch", epoch);
            Checks.nonNegative("BatchLoader.build", "startBatch", startBatch);
            if (prefetch == -1) {
                prefetch = 2 * workers;
            } else {
                Checks.positive("BatchLoader.build", "prefetch", prefetch);
            }
            return new BatchLoader<>(this);
        }
    }
}
