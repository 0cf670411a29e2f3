package org.selfsup4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.HostArrays;

/**
 * The NaN guard's copy of the run's state from before a step, so that a skipped step leaves every
 * array bit-identical. It backs up whatever map of live arrays it is given, which is the
 * trainer's {@link Trainer#stateArrays()} enumeration (the checkpoint's), split by when the step
 * mutates each part: buffers and objective state before the forward pass, parameters and optimizer
 * moments just before the update.
 *
 * <p>The copies are allocated once per array (on first sight, or when an array's shape or type
 * changes) and reused every step: fresh arrays are slow to touch (see STACK-NOTES). Dense host
 * arrays are copied with one bulk memory copy each ({@link HostArrays#copy}), not a libnd4j op.
 * Not thread-safe.
 */
final class StateBackup {
    /** A live array and its reusable copy. */
    private static final class Entry {
        INDArray live;
        INDArray copy;
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private final List<Entry> backedUp = new ArrayList<>();

    /** Forgets what was backed up for the previous step (the copies themselves are kept for reuse). */
    void begin() {
        backedUp.clear();
    }

    /** Copies every array of {@code live} into its preallocated copy; {@link #restore} will copy them back. */
    void backup(Map<String, INDArray> live) {
        for (Map.Entry<String, INDArray> e : live.entrySet()) {
            INDArray a = e.getValue();
            Entry entry = entries.computeIfAbsent(e.getKey(), k -> new Entry());
            if (entry.copy == null || entry.copy.dataType() != a.dataType() || !Arrays.equals(entry.copy.shape(), a.shape())) {
                entry.copy = Nd4j.createUninitialized(a.dataType(), a.shape());
            }
            entry.live = a;
            HostArrays.copy(a, entry.copy);
            backedUp.add(entry);
        }
    }

    /** Copies back every array backed up since {@link #begin}. */
    void restore() {
        for (Entry entry : backedUp) {
            HostArrays.copy(entry.copy, entry.live);
        }
    }

    /** The first key of {@code live} whose array has a NaN or infinite entry, or null when all are finite. */
    static String firstNonFinite(Map<String, INDArray> live) {
        for (Map.Entry<String, INDArray> e : live.entrySet()) {
            if (!HostArrays.isFinite(e.getValue())) {
                return e.getKey();
            }
        }
        return null;
    }
}
