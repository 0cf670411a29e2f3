package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * The feature penalty of wav2vec 2.0: the mean square of the convolutional feature encoder's output,
 * which keeps its scale from drifting.
 *
 * <pre>
 *   value = (1/N) sum_i z_i^2          (N = number of entries of z)
 *   d value / dz = 2 z / N
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument / result</th><th>shape</th><th>type</th></tr>
 *   <tr><td>z: feature encoder output (before its layer norm), any layout, e.g. [B, T, C]</td><td>any</td><td>FLOAT/DOUBLE</td></tr>
 *   <tr><td>gradient</td><td>as z</td><td>as z</td></tr>
 * </table>
 *
 * <p>Reduction: mean over all entries, unweighted; {@link #DEFAULT_WEIGHT} is applied by
 * {@link Wav2Vec2Loss}. {@link PenaltyResult#statistic()} equals the value. Reference: fairseq
 * {@code Wav2Vec2Model.forward} ({@code features_pen = features.float().pow(2).mean()}) with
 * {@code loss_weights=[0.1, 10]} in the wav2vec 2.0 base configuration (Baevski et al., NeurIPS 2020).
 * Not thread-safe (the returned gradient is a cached buffer).
 */
public final class FeaturePenalty {
    /** Weight of the feature penalty in fairseq's wav2vec 2.0 base/large configurations. */
    public static final double DEFAULT_WEIGHT = 10.0;

    private static final String WHERE = "FeaturePenalty.compute";
    private final SpeechKernels.BufferCache cache = new SpeechKernels.BufferCache();

    /** Value (unweighted) and gradient. */
    public PenaltyResult compute(INDArray features) {
        Checks.floating(WHERE, "features", features);
        Checks.nonEmpty(WHERE, "features", features);
        long n = features.length();
        double norm = features.norm2Number().doubleValue();
        double value = norm * norm / n;
        INDArray grad = cache.get("grad", features.dataType(), features.shape());
        grad.assign(features).muli(2.0 / n);
        return new PenaltyResult(value, value, grad);
    }
}
