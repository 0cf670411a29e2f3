package org.selfsup4j.spark;

import java.util.List;

/**
 * A {@link Collective} that counts what passes through it: exchanges, payload bytes sent and
 * received (this worker's payload once, everyone's payloads back), and the wall time spent inside
 * {@code allGather} (transfer plus waiting for the slowest worker): the communication share of a step.
 */
public final class MeteredCollective extends Collective {
    private final Collective inner;
    private long exchanges;
    private long bytesSent;
    private long bytesReceived;
    private long nanos;

    public MeteredCollective(Collective inner) {
        super(inner.rank(), inner.worldSize());
        this.inner = inner;
    }

    @Override
    public List<byte[]> allGather(String tag, byte[] payload) {
        long t0 = System.nanoTime();
        List<byte[]> all = inner.allGather(tag, payload);
        nanos += System.nanoTime() - t0;
        exchanges++;
        bytesSent += payload.length;
        for (byte[] b : all) {
            bytesReceived += b.length;
        }
        return all;
    }

    /** @return the counts so far */
    public CommunicationStats stats() {
        return new CommunicationStats(exchanges, bytesSent, bytesReceived, nanos);
    }
}
