package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.BarrierTaskContext;

/**
 * {@link Collective} on Spark's barrier execution mode: one {@link BarrierTaskContext#allGather}
 * per exchange, so the exchange is Spark's own (its driver-side {@code BarrierCoordinator} collects
 * one message per task and returns all of them, ordered by partition id, to every task).
 *
 * <p>{@code allGather} carries strings: the payload travels as Base64 (4 characters per 3 bytes)
 * behind a header {@code tag|rank|}. Every message is checked on arrival: its tag must equal this
 * worker's and its rank its position, so a worker that fell out of step fails loudly instead of
 * summing another exchange's numbers.
 *
 * <p>Rank = partition id: the barrier stage has one partition per worker.
 *
 * <p>Latency: Spark 3.5's {@code BarrierTaskContext.runBarrier} sends the message and then checks
 * the coordinator's reply every 1000 ms ({@code Thread.sleep(1000)} while the RPC future is not
 * complete), so every exchange among two or more tasks takes about one second of wall time however
 * small it is (measured: README). A single task exchanges nothing.
 *
 * <p>Wake-ups (opt-in, {@code wakeMillis > 0}): while this task waits inside {@code allGather}, a
 * daemon thread interrupts it every {@code wakeMillis} ms. Spark's loop catches the
 * {@code InterruptedException} of its sleep and goes on to check the reply (and whether the task was
 * killed, which reads the kill reason, not the interrupt flag), so the exchange returns within
 * {@code wakeMillis} of the reply instead of within a second. The exchange itself is unchanged: still
 * Spark's {@code allGather}. When it returns, the wake-ups stop (under a lock, so none can follow)
 * and the interrupt flag is cleared; a real kill by Spark still ends the task, at its next check of
 * the kill reason.
 */
public final class BarrierCollective extends Collective {
    private static final ScheduledExecutorService WAKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "selfsup4j-barrier-wake");
        t.setDaemon(true);
        return t;
    });
    private final BarrierTaskContext context;
    private final long wakeMillis;

    /**
     * @param context the barrier task's context ({@code BarrierTaskContext.get()})
     * @param wakeMillis 0 for Spark's own polling, else how often to wake the waiting task
     */
    public BarrierCollective(BarrierTaskContext context, long wakeMillis) {
        super(Objects.requireNonNull(context, "context").partitionId(), context.numPartitions());
        this.context = context;
        if (wakeMillis < 0) {
            throw new IllegalArgumentException("BarrierCollective: expected wakeMillis >= 0, got " + wakeMillis);
        }
        this.wakeMillis = wakeMillis;
    }

    @Override
    public List<byte[]> allGather(String tag, byte[] payload) {
        if (worldSize() == 1) {
            // nothing to exchange, and Spark's barrier round would cost its ~1 s polling interval
            return List.of(payload.clone());
        }
        String[] messages = gather(Messages.encode(tag, rank(), payload));
        if (messages.length != worldSize()) {
            throw new IllegalStateException("BarrierCollective: expected " + worldSize() + " messages for '" + tag
                    + "', got " + messages.length);
        }
        List<byte[]> out = new ArrayList<>(messages.length);
        for (int r = 0; r < messages.length; r++) {
            out.add(Messages.decode(messages[r], tag, r));
        }
        return out;
    }

    private String[] gather(String message) {
        if (wakeMillis == 0) {
            return context.allGather(message);
        }
        Thread waiting = Thread.currentThread();
        Object lock = new Object();
        boolean[] active = {true};
        ScheduledFuture<?> wake = WAKER.scheduleAtFixedRate(() -> {
            synchronized (lock) {
                if (active[0]) {
                    waiting.interrupt();
                }
            }
        }, wakeMillis, wakeMillis, TimeUnit.MILLISECONDS);
        try {
            return context.allGather(message);
        } finally {
            synchronized (lock) {
                active[0] = false;
            }
            wake.cancel(false);
            // a wake-up that came after Spark's last sleep must not reach the training code
            Thread.interrupted();
        }
    }

    /** The text form of one payload: {@code tag|rank|base64}. */
    static final class Messages {
        private Messages() {
        }

        static String encode(String tag, int rank, byte[] payload) {
            if (tag.indexOf('|') >= 0) {
                throw new IllegalArgumentException("BarrierCollective: a tag must not contain '|', got " + tag);
            }
            return tag + '|' + rank + '|' + Base64.getEncoder().encodeToString(payload);
        }

        static byte[] decode(String message, String tag, int rank) {
            int a = message.indexOf('|');
            int b = a < 0 ? -1 : message.indexOf('|', a + 1);
            if (b < 0) {
                throw new IllegalStateException("BarrierCollective: malformed message for '" + tag + "' from position "
                        + rank + ": no 'tag|rank|' header");
            }
            String gotTag = message.substring(0, a);
            String gotRank = message.substring(a + 1, b);
            if (!gotTag.equals(tag) || !gotRank.equals(Integer.toString(rank))) {
                throw new IllegalStateException("BarrierCollective: expected exchange '" + tag + "' from rank " + rank
                        + ", got '" + gotTag + "' from rank " + gotRank + " (workers out of step)");
            }
            return Base64.getDecoder().decode(message.substring(b + 1));
        }
    }
}
