package org.selfsup4j.speech.eval;

import java.util.List;

/**
 * What {@link LayerProbe} found.
 *
 * @param layer the chosen layer (0 = projected CNN features, 1..L transformer layers)
 * @param heldOutByLayer each layer's held-out accuracy, the basis of the choice
 * @param testTop1 the chosen layer's test accuracy, fitted on all training utterances
 */
public record LayerProbeResult(int layer, List<Double> heldOutByLayer, double testTop1) {
    /** Copies the list. */
    public LayerProbeResult {
        heldOutByLayer = List.copyOf(heldOutByLayer);
    }
}
