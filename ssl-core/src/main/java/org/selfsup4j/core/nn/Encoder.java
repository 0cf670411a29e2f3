package org.selfsup4j.core.nn;

/**
 * A network that maps a batch of inputs (images, waveforms, features) to a batch of embeddings
 * {@code [N, D]} (or {@code [N, T, D]} for sequence models), exposing its trainable parameters.
 *
 * <p>Implementations: any {@link Module} composed of the blocks in this package (fast path: one
 * forward, one backward, preallocated buffers), or
 * {@link org.selfsup4j.core.samediff.SameDiffEncoder} for a network written as a SameDiff graph.
 */
public interface Encoder extends Module {

    /** Wraps a module (typically a {@link Sequential}) as an encoder. */
    static Encoder of(Module module) {
        if (module instanceof Encoder e) {
            return e;
        }
        return new ModuleEncoder(module);
    }
}
