package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
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
 */
public final class BarrierCollective implements Collective {
    private final BarrierTaskContext context;

    /** @param context the barrier task's context ({@code BarrierTaskContext.get()}) */
    public BarrierCollective(BarrierTaskContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public int rank() {
        return context.partitionId();
    }

    @Override
    public int worldSize() {
        return context.numPartitions();
    }

    @Override
    public List<byte[]> allGather(String tag, byte[] payload) {
        if (worldSize() == 1) {
            // nothing to exchange, and Spark's barrier round would cost its ~1 s polling interval
            return List.of(payload.clone());
        }
        String[] messages = context.allGather(Messages.encode(tag, rank(), payload));
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
