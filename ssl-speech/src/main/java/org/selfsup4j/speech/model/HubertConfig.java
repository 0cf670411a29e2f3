package org.selfsup4j.speech.model;

import java.util.Arrays;
import org.selfsup4j.losses.FeaturePenalty;
import org.selfsup4j.losses.HubertLoss;

/**
 * Settings of a HuBERT or ILS-SSL model.
 *
 * @param trunk feature encoder, transformer and span length (its quantizer and contrastive fields are unused)
 * @param numClusters C, the number of k-means targets
 * @param finalDim dimension of the projection scored against the label embeddings
 * @param predictionLayers 1-based transformer layers with a prediction head, ascending; {@code {L}} is
 *                         HuBERT, more layers is ILS-SSL
 * @param maskProb span-start probability (HuBERT: 0.8)
 * @param logitTemperature tau of the cosine logits (0.1)
 * @param featurePenaltyWeight weight of the feature penalty (fairseq's HuBERT base: 10)
 */
public record HubertConfig(Wav2Vec2Config trunk, int numClusters, int finalDim, int[] predictionLayers, double maskProb,
        double logitTemperature, double featurePenaltyWeight) {

    /** Final projection dimension of HuBERT base. */
    public static final int DEFAULT_FINAL_DIM = 256;
    /** Clusters of HuBERT base's first iteration (MFCC targets). */
    public static final int DEFAULT_ITERATION1_CLUSTERS = 100;
    /** Clusters of HuBERT base's second iteration. */
    public static final int DEFAULT_ITERATION2_CLUSTERS = 500;

    /** Validates and copies. */
    public HubertConfig {
        if (trunk == null || numClusters < 1 || finalDim < 1 || predictionLayers == null || predictionLayers.length == 0) {
            throw new IllegalArgumentException("HubertConfig: need a trunk, numClusters >= 1, finalDim >= 1 and at least one prediction layer");
        }
        predictionLayers = predictionLayers.clone();
        for (int i = 0; i < predictionLayers.length; i++) {
            if (predictionLayers[i] < 1 || predictionLayers[i] > trunk.numLayers()
                    || (i > 0 && predictionLayers[i] <= predictionLayers[i - 1])) {
                throw new IllegalArgumentException("HubertConfig: prediction layers must be ascending in [1, "
                        + trunk.numLayers() + "], got " + Arrays.toString(predictionLayers));
            }
        }
        if (!(maskProb >= 0 && maskProb <= 1) || !(logitTemperature > 0) || !(featurePenaltyWeight >= 0)) {
            throw new IllegalArgumentException("HubertConfig: need maskProb in [0, 1], logitTemperature > 0, featurePenaltyWeight >= 0");
        }
    }

    /** HuBERT: prediction at the top layer only, mask probability 0.8, tau 0.1, feature penalty 10. */
    public static HubertConfig hubert(Wav2Vec2Config trunk, int numClusters, int finalDim) {
        return new HubertConfig(trunk, numClusters, finalDim, new int[] {trunk.numLayers()}, SpanMasking.HUBERT_MASK_PROB,
                HubertLoss.DEFAULT_LOGIT_TEMPERATURE, FeaturePenalty.DEFAULT_WEIGHT);
    }

    /** ILS-SSL: HuBERT with prediction heads at the given layers (the top layer should be among them). */
    public static HubertConfig ilsSsl(Wav2Vec2Config trunk, int numClusters, int finalDim, int... layers) {
        return new HubertConfig(trunk, numClusters, finalDim, layers, SpanMasking.HUBERT_MASK_PROB,
                HubertLoss.DEFAULT_LOGIT_TEMPERATURE, FeaturePenalty.DEFAULT_WEIGHT);
    }

    /** The same model with another number of clusters (HuBERT's second iteration). */
    public HubertConfig withClusters(int clusters) {
        return new HubertConfig(trunk, clusters, finalDim, predictionLayers, maskProb, logitTemperature, featurePenaltyWeight);
    }

    @Override
    public int[] predictionLayers() {
        return predictionLayers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubertConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "HubertConfig[trunk=" + trunk + ", numClusters=" + numClusters + ", finalDim=" + finalDim
                + ", predictionLayers=" + Arrays.toString(predictionLayers) + ", maskProb=" + maskProb
                + ", logitTemperature=" + logitTemperature + ", featurePenaltyWeight=" + featurePenaltyWeight + "]";
    }
}
