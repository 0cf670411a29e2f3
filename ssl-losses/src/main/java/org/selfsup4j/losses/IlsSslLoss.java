package org.selfsup4j.losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * ILS-SSL: HuBERT's masked prediction loss applied at chosen intermediate layers as well as the top,
 * each layer with its own projection and label embeddings, summed with equal weights.
 *
 * <pre>
 *   value = sum_{l in layers} L_HuBERT(h_l, W_l, b_l, E_l, y, mask)     ({@link HubertLoss}, tau = 0.1)
 * </pre>
 *
 * <table>
 *   <caption>Shapes (L = number of supervised layers, j = 0..L-1 in the order of {@link #layers()})</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient index</th></tr>
 *   <tr><td>hiddenStates: outputs of encoder layers 1..N (element l-1 is layer l)</td><td>N x [B, T, Din]</td><td>{@code gradientIndex(j, HubertLoss.GRAD_OUTPUT)} for layer layers()[j]</td></tr>
 *   <tr><td>projections W_j</td><td>L x [Din, Dp]</td><td>{@code gradientIndex(j, HubertLoss.GRAD_PROJECTION)}</td></tr>
 *   <tr><td>biases b_j (list or elements nullable)</td><td>L x [Dp]</td><td>{@code gradientIndex(j, HubertLoss.GRAD_BIAS)}</td></tr>
 *   <tr><td>label embeddings E_j</td><td>L x [C, Dp]</td><td>{@code gradientIndex(j, HubertLoss.GRAD_EMBEDDINGS)}</td></tr>
 *   <tr><td>ids, mask</td><td>[B, T]</td><td>-</td></tr>
 * </table>
 *
 * <p>Reduction: sum over layers of fairseq-style sums over frames; {@link MaskedPredictionResult#count()}
 * is the per-layer sample size, {@code mean = value / count}, {@code accuracy} is the top supervised
 * layer's (the last of {@link #layers()}), and terms {@code "layer<l>"} hold each layer's value. No
 * gradient is returned for hidden states of unsupervised layers (it is zero). If the caller shares one
 * array between layers (e.g. one embedding table), it must add the per-layer gradients itself.
 *
 * <p>Paper: Chengyi Wang, Yu Wu, Sanyuan Chen, Shujie Liu, Jinyu Li, Yao Qian, Zhenglu Yang,
 * "Self-Supervised Learning for Speech Recognition with Intermediate Layer Supervision", ICASSP 2022.
 * Defaults here: layers 4 and 12 of a 12-layer base encoder ({@link #DEFAULT_LAYERS}); see
 * {@link HubertLoss} for the per-layer loss and its deviations from fairseq. Not thread-safe.
 */
public final class IlsSslLoss {
    /** Supervised layers (1-based) of the 12-layer base model: an intermediate layer and the top. */
    public static final int[] DEFAULT_LAYERS = {4, 12};
    /** Encoder depth the defaults refer to. */
    public static final int DEFAULT_NUM_LAYERS = 12;
    /** Gradients per supervised layer in {@link MaskedPredictionResult#gradients()}. */
    public static final int GRADS_PER_LAYER = 4;

    private static final String WHERE = "IlsSslLoss.compute";
    private final int[] layers;
    private final HubertLoss[] heads;

    /** Layers 4 and 12, HuBERT's per-layer defaults. */
    public IlsSslLoss() {
        this(DEFAULT_LAYERS, HubertLoss.DEFAULT_LOGIT_TEMPERATURE, HubertLoss.DEFAULT_UNMASKED_WEIGHT);
    }

    /**
     * @param layers           distinct 1-based layer numbers, ascending
     * @param logitTemperature tau of every layer's loss
     * @param unmaskedWeight   weight of unmasked frames in every layer's loss
     */
    public IlsSslLoss(int[] layers, double logitTemperature, double unmaskedWeight) {
        Checks.argument(layers != null && layers.length > 0, "IlsSslLoss", "layers must name at least one layer");
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 1 || (i > 0 && layers[i] <= layers[i - 1])) {
                throw new IllegalArgumentException("IlsSslLoss: layers must be distinct, ascending and >= 1, got "
                        + Arrays.toString(layers));
            }
        }
        this.layers = layers.clone();
        this.heads = new HubertLoss[layers.length];
        for (int i = 0; i < layers.length; i++) {
            heads[i] = new HubertLoss(WHERE + " (layer " + layers[i] + ")", logitTemperature,
                    HubertLoss.DEFAULT_MASKED_WEIGHT, unmaskedWeight);
        }
    }

    /** The supervised layers, 1-based. */
    public int[] layers() {
        return layers.clone();
    }

    /** Position in {@link MaskedPredictionResult#gradients()} of gradient {@code which} (a {@code HubertLoss.GRAD_*}) of supervised layer j. */
    public static int gradientIndex(int j, int which) {
        return j * GRADS_PER_LAYER + which;
    }

    /** Value, mean, top-layer accuracy and per-layer gradients (see the class table). */
    public MaskedPredictionResult compute(List<INDArray> hiddenStates, List<INDArray> projections, List<INDArray> biases,
            List<INDArray> embeddings, INDArray ids, INDArray mask) {
        Checks.notNull(WHERE, "hiddenStates", hiddenStates);
        Checks.notNull(WHERE, "projections", projections);
        Checks.notNull(WHERE, "embeddings", embeddings);
        int top = layers[layers.length - 1];
        if (hiddenStates.size() < top) {
            // an explicit branch, not Checks.argument: this runs every step, so the message is built only on failure
            throw new IllegalArgumentException(WHERE + ": hiddenStates must hold the outputs of layers 1.." + top
                    + " at least, got " + hiddenStates.size());
        }
        int l = layers.length;
        if (projections.size() != l || embeddings.size() != l || (biases != null && biases.size() != l)) {
            throw new IllegalArgumentException(WHERE + ": need one projection, bias and embedding table per supervised layer ("
                    + l + "), got " + projections.size() + ", " + (biases == null ? "none" : biases.size()) + ", "
                    + embeddings.size());
        }
        List<INDArray> grads = new ArrayList<>(l * GRADS_PER_LAYER);
        Map<String, Double> terms = new LinkedHashMap<>();
        double value = 0;
        long count = 0;
        double accuracy = Double.NaN;
        for (int j = 0; j < l; j++) {
            MaskedPredictionResult r = heads[j].compute(hiddenStates.get(layers[j] - 1), projections.get(j),
                    biases == null ? null : biases.get(j), embeddings.get(j), ids, mask);
            value += r.value();
            count = r.count();
            accuracy = r.accuracy();
            grads.addAll(r.gradients());
            terms.put("layer" + layers[j], r.value());
        }
        return new MaskedPredictionResult(value, count == 0 ? 0 : value / count, accuracy, count, grads, terms);
    }
}
