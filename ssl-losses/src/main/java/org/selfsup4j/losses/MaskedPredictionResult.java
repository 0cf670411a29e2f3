package org.selfsup4j.losses;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a masked-prediction loss ({@link Wav2Vec2ContrastiveLoss}, {@link Wav2Vec2Loss},
 * {@link HubertLoss}, {@link IlsSslLoss}) returns: the value, its per-step mean, the accuracy of the
 * positive, and the gradient of {@link #value()} with respect to each differentiable argument.
 *
 * <p>The gradient arrays are buffers owned by the loss instance that produced them and are
 * overwritten by its next {@code compute} call; {@code dup()} them to keep them longer. Which index
 * is which argument is documented by each loss (named constants such as
 * {@link Wav2Vec2ContrastiveLoss#GRAD_CONTEXT}).
 *
 * @param value     the loss as the papers' reference code reduces it (a sum over predicted steps)
 * @param mean      {@code value / count}, the per-step mean fairseq logs (0 when {@code count == 0})
 * @param accuracy  fraction of masked steps whose positive logit is the largest (fairseq's
 *                  {@code correct / count}: ties with every logit count as wrong); NaN when no step is masked
 * @param count     number of predicted steps, fairseq's {@code sample_size}
 * @param gradients gradients of {@code value}, each with the shape of its argument; {@code null} for an
 *                  optional argument that was not given
 * @param terms     named sub-terms of the value (e.g. {@code "contrastive"}, {@code "diversity"}), in order
 */
public record MaskedPredictionResult(double value, double mean, double accuracy, long count, List<INDArray> gradients,
        Map<String, Double> terms) {
    /** Makes the lists unmodifiable (the arrays themselves stay the loss's buffers). */
    public MaskedPredictionResult {
        gradients = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(gradients));
        terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
    }

    /** The gradient with respect to argument {@code i} (see the producing loss for the numbering). */
    public INDArray gradient(int i) {
        if (i < 0 || i >= gradients.size()) {
            throw new IllegalArgumentException("MaskedPredictionResult.gradient: index must be in [0, "
                    + gradients.size() + "), got " + i);
        }
        return gradients.get(i);
    }

    /** A named sub-term of the value; throws for an unknown name. */
    public double term(String name) {
        Double v = terms.get(name);
        if (v == null) {
            throw new IllegalArgumentException("MaskedPredictionResult.term: unknown term '" + name + "', have "
                    + terms.keySet());
        }
        return v;
    }
}
