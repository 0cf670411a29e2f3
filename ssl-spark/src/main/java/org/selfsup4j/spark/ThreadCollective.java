package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Collective} among threads of one JVM: the same contract as {@link BarrierCollective}
 * without Spark, so the data-parallel algebra can be tested (and debugged) in-process.
 *
 * <p>One {@link Group} per set of workers; each worker thread takes {@link Group#member(int)} of
 * its rank. An exchange is two barrier rounds: after the first every payload is in place, after
 * the second every worker has copied them out, so the next exchange cannot overwrite a slot that
 * is still being read.
 */
public final class ThreadCollective extends Collective {
    private final Group group;

    private ThreadCollective(Group group, int rank) {
        super(rank, group.size);
        this.group = group;
    }

    /** The shared slots and barrier of {@code size} workers. */
    public static final class Group {
        private final int size;
        private final CyclicBarrier barrier;
        private final byte[][] payloads;
        private final String[] tags;
        private final long timeoutSeconds;

        /**
         * @param size number of workers
         * @param timeoutSeconds how long one exchange waits for the others before failing
         */
        public Group(int size, long timeoutSeconds) {
            if (size < 1 || timeoutSeconds < 1) {
                throw new IllegalArgumentException("ThreadCollective.Group: expected size >= 1 and timeout >= 1 s, got "
                        + size + " and " + timeoutSeconds);
            }
            this.size = size;
            this.barrier = new CyclicBarrier(size);
            this.payloads = new byte[size][];
            this.tags = new String[size];
            this.timeoutSeconds = timeoutSeconds;
        }

        /** @return the collective of worker {@code rank} */
        public ThreadCollective member(int rank) {
            if (rank < 0 || rank >= size) {
                throw new IllegalArgumentException("ThreadCollective.Group: rank must be in [0, " + size + "), got " + rank);
            }
            return new ThreadCollective(this, rank);
        }

        /** Breaks the current exchange: workers waiting in it, or arriving later, fail at once. */
        public void abort() {
            barrier.reset();
        }

        private void await() {
            try {
                barrier.await(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ThreadCollective: interrupted while waiting for the other workers", e);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("ThreadCollective: another worker failed or did not arrive within "
                        + timeoutSeconds + " s", e);
            }
        }
    }

    /** The collective of a single worker: every all-gather returns this worker's payload alone. */
    public static ThreadCollective single() {
        return new Group(1, 1).member(0);
    }

    @Override
    public List<byte[]> allGather(String tag, byte[] payload) {
        int rank = rank();
        group.payloads[rank] = payload.clone();
        group.tags[rank] = tag;
        group.await();
        List<byte[]> out = new ArrayList<>(group.size);
        String mismatch = null;
        for (int r = 0; r < group.size; r++) {
            if (!tag.equals(group.tags[r])) {
                mismatch = "ThreadCollective: expected exchange '" + tag + "' from rank " + r + ", got '" + group.tags[r]
                        + "' (workers out of step)";
            }
            out.add(Arrays.copyOf(group.payloads[r], group.payloads[r].length));
        }
        // everyone passes the second round before anyone may fail, so no worker is left waiting
        group.await();
        if (mismatch != null) {
            throw new IllegalStateException(mismatch);
        }
        return out;
    }
}
