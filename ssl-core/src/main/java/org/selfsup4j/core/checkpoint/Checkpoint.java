package org.selfsup4j.core.checkpoint;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A snapshot of training state: named arrays (parameters, optimizer moments, EMA copies, RNG
 * state...) and string metadata (step, epoch, seed, config, versions; see {@link CheckpointMetadata}).
 *
 * <p>Both maps are copied on construction and kept in the caller's iteration order; the copies are
 * unmodifiable. The arrays themselves are <em>not</em> copied (parameter tensors can be large):
 * a caller that keeps mutating them must write the checkpoint before it does.
 *
 * @param arrays   array name to array; names must be non-empty, arrays non-null
 * @param metadata metadata key to value; keys non-empty, values non-null
 */
public record Checkpoint(Map<String, INDArray> arrays, Map<String, String> metadata) {

    /** Copies both maps, keeping their order, and rejects null or empty names and null values. */
    public Checkpoint {
        if (arrays == null || metadata == null) {
            throw new IllegalArgumentException("Checkpoint: arrays and metadata must not be null, got arrays="
                    + (arrays == null ? "null" : "a map") + ", metadata=" + (metadata == null ? "null" : "a map"));
        }
        arrays = checkedCopy(arrays, "array names", "array");
        metadata = checkedCopy(metadata, "metadata keys", "metadata value for");
    }

    /** The array named {@code name}; throws {@link IllegalArgumentException} naming the ones present if absent. */
    public INDArray array(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("Checkpoint.array: no array named '" + name + "', have " + arrays.keySet());
        }
        return a;
    }

    /** An unmodifiable, order-keeping copy; {@code keys} and {@code valueOf} word the messages. */
    private static <V> Map<String, V> checkedCopy(Map<String, V> in, String keys, String valueOf) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : in.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("Checkpoint: " + keys + " must be non-empty, got "
                        + (e.getKey() == null ? "null" : "\"\""));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("Checkpoint: " + valueOf + " '" + e.getKey() + "' is null");
            }
            out.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(out);
    }
}
