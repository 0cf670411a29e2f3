package org.selfsup4j.spark;

import java.io.Serializable;

/**
 * What one worker exchanged during a run ({@link MeteredCollective}).
 *
 * @param exchanges number of all-gathers
 * @param bytesSent payload bytes this worker contributed (before Base64)
 * @param bytesReceived payload bytes it got back, its own included
 * @param nanos wall time inside all-gather, waiting for the slowest worker included
 */
public record CommunicationStats(long exchanges, long bytesSent, long bytesReceived, long nanos)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
