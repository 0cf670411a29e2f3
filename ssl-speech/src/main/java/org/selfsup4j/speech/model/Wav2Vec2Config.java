package org.selfsup4j.speech.model;

import java.util.Arrays;
import org.selfsup4j.losses.DiversityLoss;
import org.selfsup4j.losses.FeaturePenalty;
import org.selfsup4j.losses.Wav2Vec2ContrastiveLoss;
import org.selfsup4j.speech.model.nn.ConvPositionalEmbedding;
import org.selfsup4j.speech.model.nn.GumbelVectorQuantizer;

/**
 * Architecture and objective settings of a wav2vec 2.0 model; the trunk part (feature encoder,
 * transformer, masking) is shared by {@link HubertConfig}.
 *
 * @param convChannels output channels of each feature-encoder convolution
 * @param convKernels kernel widths of the feature encoder
 * @param convStrides strides of the feature encoder
 * @param modelDim transformer dimension D
 * @param numLayers transformer layers
 * @param numHeads attention heads
 * @param ffnDim feed-forward inner dimension
 * @param posConvKernel kernel of the convolutional positional embedding
 * @param posConvGroups groups of the convolutional positional embedding
 * @param maskProb span-start probability p of {@link SpanMasking}
 * @param maskLength span length M
 * @param minMasks minimum spans per utterance
 * @param codebookGroups quantizer codebooks G
 * @param codebookEntries entries per codebook V
 * @param codevectorDim quantizer output dimension (fairseq's {@code latent_dim}; 0 means finalDim)
 * @param finalDim dimension of the contrastive space (fairseq's {@code final_dim})
 * @param maxTemperature initial Gumbel temperature
 * @param minTemperature final Gumbel temperature
 * @param temperatureDecay Gumbel temperature factor per update
 * @param numDistractors distractors K per masked step
 * @param featureGradMult scale of the gradient entering the feature encoder (fairseq's {@code feature_grad_mult})
 * @param logitTemperature kappa of the contrastive loss
 * @param diversityWeight alpha of the diversity loss
 * @param featurePenaltyWeight weight of the feature penalty
 */
public record Wav2Vec2Config(int[] convChannels, int[] convKernels, int[] convStrides, int modelDim, int numLayers,
        int numHeads, int ffnDim, int posConvKernel, int posConvGroups, double maskProb, int maskLength, int minMasks,
        int codebookGroups, int codebookEntries, int codevectorDim, int finalDim, double maxTemperature,
        double minTemperature, double temperatureDecay, int numDistractors, double featureGradMult,
        double logitTemperature, double diversityWeight, double featurePenaltyWeight) {

    /** Feature-encoder kernels of the paper. */
    public static final int[] PAPER_CONV_KERNELS = {10, 3, 3, 3, 3, 2, 2};
    /** Feature-encoder strides of the paper (320 samples = 20 ms per frame at 16 kHz). */
    public static final int[] PAPER_CONV_STRIDES = {5, 2, 2, 2, 2, 2, 2};
    /** Feature-encoder channels of the paper. */
    public static final int PAPER_CONV_CHANNELS = 512;
    /** fairseq's {@code feature_grad_mult} for wav2vec 2.0 base. */
    public static final double DEFAULT_FEATURE_GRAD_MULT = 0.1;
    /**
     * Diversity-loss weight alpha of {@link #small()}: the paper's 0.1 left its 2 x 64 codebook at a code
     * perplexity of ~15 on FSDD and the probe 10 points above random init; 0.5 gave ~52 and 17 points
     * (examples/results/speech-wav2vec2*).
     */
    public static final double SMALL_DIVERSITY_WEIGHT = 0.5;
    /** Gumbel temperature decay per update of {@link #small()} (see there). */
    public static final double SMALL_TEMPERATURE_DECAY = 0.9998;

    /** Validates and copies the arrays. */
    public Wav2Vec2Config {
        if (convChannels == null || convKernels == null || convStrides == null || convChannels.length == 0
                || convChannels.length != convKernels.length || convChannels.length != convStrides.length) {
            throw new IllegalArgumentException("Wav2Vec2Config: conv channels, kernels and strides must be non-empty and of equal length");
        }
        convChannels = convChannels.clone();
        convKernels = convKernels.clone();
        convStrides = convStrides.clone();
        if (modelDim <= 0 || numLayers <= 0 || numHeads <= 0 || ffnDim <= 0 || modelDim % numHeads != 0) {
            throw new IllegalArgumentException("Wav2Vec2Config: need positive modelDim, numLayers, numHeads, ffnDim with "
                    + "modelDim divisible by numHeads, got " + modelDim + ", " + numLayers + ", " + numHeads + ", " + ffnDim);
        }
        if (posConvKernel <= 0 || posConvGroups <= 0 || modelDim % posConvGroups != 0) {
            throw new IllegalArgumentException("Wav2Vec2Config: posConvGroups must divide modelDim, got " + posConvGroups);
        }
        if (!(maskProb >= 0 && maskProb <= 1) || maskLength < 1 || minMasks < 0) {
            throw new IllegalArgumentException("Wav2Vec2Config: need maskProb in [0, 1], maskLength >= 1, minMasks >= 0, got "
                    + maskProb + ", " + maskLength + ", " + minMasks);
        }
        if (codevectorDim == 0) {
            codevectorDim = finalDim;
        }
        if (codebookGroups <= 0 || codebookEntries <= 0 || finalDim <= 0 || codevectorDim % codebookGroups != 0) {
            throw new IllegalArgumentException("Wav2Vec2Config: codevectorDim must be divisible by codebookGroups, got "
                    + codevectorDim + " and " + codebookGroups);
        }
        if (!(minTemperature > 0) || !(maxTemperature >= minTemperature) || !(temperatureDecay > 0 && temperatureDecay <= 1)) {
            throw new IllegalArgumentException("Wav2Vec2Config: need 0 < minTemperature <= maxTemperature and decay in (0, 1], got "
                    + minTemperature + ", " + maxTemperature + ", " + temperatureDecay);
        }
        if (numDistractors < 1 || !(featureGradMult >= 0)) {
            throw new IllegalArgumentException("Wav2Vec2Config: need numDistractors >= 1 and featureGradMult >= 0, got "
                    + numDistractors + ", " + featureGradMult);
        }
        if (!(logitTemperature > 0) || !(diversityWeight >= 0) || !(featurePenaltyWeight >= 0)) {
            throw new IllegalArgumentException("Wav2Vec2Config: need logitTemperature > 0, diversityWeight >= 0 and"
                    + " featurePenaltyWeight >= 0, got " + logitTemperature + ", " + diversityWeight + ", "
                    + featurePenaltyWeight);
        }
    }

    /** wav2vec 2.0 BASE (Baevski et al. 2020): 7 convolutions of 512 channels, 12 layers of 768, 12 heads. */
    public static Wav2Vec2Config base() {
        int[] ch = new int[7];
        Arrays.fill(ch, PAPER_CONV_CHANNELS);
        return new Wav2Vec2Config(ch, PAPER_CONV_KERNELS, PAPER_CONV_STRIDES, 768, 12, 12, 3072,
                ConvPositionalEmbedding.DEFAULT_KERNEL, ConvPositionalEmbedding.DEFAULT_GROUPS,
                SpanMasking.WAV2VEC2_MASK_PROB, SpanMasking.DEFAULT_MASK_LENGTH, SpanMasking.DEFAULT_MIN_MASKS,
                GumbelVectorQuantizer.DEFAULT_GROUPS, GumbelVectorQuantizer.DEFAULT_ENTRIES, 256, 256,
                GumbelVectorQuantizer.DEFAULT_MAX_TEMPERATURE, GumbelVectorQuantizer.DEFAULT_MIN_TEMPERATURE,
                GumbelVectorQuantizer.DEFAULT_TEMPERATURE_DECAY, Wav2Vec2ContrastiveLoss.DEFAULT_NUM_DISTRACTORS,
                DEFAULT_FEATURE_GRAD_MULT, Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE, DiversityLoss.DEFAULT_WEIGHT,
                FeaturePenalty.DEFAULT_WEIGHT);
    }

    /**
     * A CPU-sized model: 5 convolutions (128, 128, 128, 128, 256 channels; kernels 10,3,3,3,3; strides
     * 5,2,2,2,2 = 80 samples per frame), 3 post-LN layers of 256 with 4 heads and FFN 1024, positional
     * convolution 16/8, G = 2 codebooks of V = 64, 20 distractors, and a faster temperature decay,
     * {@link #SMALL_TEMPERATURE_DECAY}, scaled to the run length: fairseq's 0.999995 reaches the floor of
     * 0.5 after ~277k of its 400k updates (~70% of the run); 0.9998 reaches it after ~6,900 updates, ~70%
     * of a 30-minute run of this model on 2 CPU cores. (0.9995 reached it after 2,800 of 2,230-4,000
     * updates, and the codebook collapsed to ~9 of 128 codes.) Diversity weight
     * {@link #SMALL_DIVERSITY_WEIGHT} instead of the paper's 0.1. Masking as the paper.
     */
    public static Wav2Vec2Config small() {
        return new Wav2Vec2Config(new int[] {128, 128, 128, 128, 256}, new int[] {10, 3, 3, 3, 3}, new int[] {5, 2, 2, 2, 2},
                256, 3, 4, 1024, 16, 8, SpanMasking.WAV2VEC2_MASK_PROB, SpanMasking.DEFAULT_MASK_LENGTH,
                SpanMasking.DEFAULT_MIN_MASKS, GumbelVectorQuantizer.DEFAULT_GROUPS, 64, 128, 128,
                GumbelVectorQuantizer.DEFAULT_MAX_TEMPERATURE, GumbelVectorQuantizer.DEFAULT_MIN_TEMPERATURE,
                SMALL_TEMPERATURE_DECAY, 20,
                DEFAULT_FEATURE_GRAD_MULT, Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE, SMALL_DIVERSITY_WEIGHT,
                FeaturePenalty.DEFAULT_WEIGHT);
    }

    /** A tiny model for tests. */
    public static Wav2Vec2Config tiny() {
        return new Wav2Vec2Config(new int[] {8, 16}, new int[] {4, 3}, new int[] {2, 2}, 16, 2, 2, 32, 4, 2,
                SpanMasking.WAV2VEC2_MASK_PROB, 3, SpanMasking.DEFAULT_MIN_MASKS, 2, 8, 8, 8, 2.0, 0.5, 0.99, 4,
                DEFAULT_FEATURE_GRAD_MULT, Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE, DiversityLoss.DEFAULT_WEIGHT,
                FeaturePenalty.DEFAULT_WEIGHT);
    }

    /** The same settings with another Gumbel temperature decay per update. */
    public Wav2Vec2Config withTemperatureDecay(double decay) {
        return new Wav2Vec2Config(convChannels, convKernels, convStrides, modelDim, numLayers, numHeads, ffnDim,
                posConvKernel, posConvGroups, maskProb, maskLength, minMasks, codebookGroups, codebookEntries,
                codevectorDim, finalDim, maxTemperature, minTemperature, decay, numDistractors, featureGradMult,
                logitTemperature, diversityWeight, featurePenaltyWeight);
    }

    /** The same settings with another weight alpha of the codebook diversity loss. */
    public Wav2Vec2Config withDiversityWeight(double alpha) {
        return new Wav2Vec2Config(convChannels, convKernels, convStrides, modelDim, numLayers, numHeads, ffnDim,
                posConvKernel, posConvGroups, maskProb, maskLength, minMasks, codebookGroups, codebookEntries,
                codevectorDim, finalDim, maxTemperature, minTemperature, temperatureDecay, numDistractors, featureGradMult,
                logitTemperature, alpha, featurePenaltyWeight);
    }

    /** The same settings with another span-start probability. */
    public Wav2Vec2Config withMaskProb(double p) {
        return new Wav2Vec2Config(convChannels, convKernels, convStrides, modelDim, numLayers, numHeads, ffnDim,
                posConvKernel, posConvGroups, p, maskLength, minMasks, codebookGroups, codebookEntries, codevectorDim,
                finalDim, maxTemperature, minTemperature, temperatureDecay, numDistractors, featureGradMult,
                logitTemperature, diversityWeight, featurePenaltyWeight);
    }

    @Override
    public int[] convChannels() {
        return convChannels.clone();
    }

    @Override
    public int[] convKernels() {
        return convKernels.clone();
    }

    @Override
    public int[] convStrides() {
        return convStrides.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Wav2Vec2Config c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Wav2Vec2Config[convChannels=" + Arrays.toString(convChannels) + ", convKernels=" + Arrays.toString(convKernels)
                + ", convStrides=" + Arrays.toString(convStrides) + ", modelDim=" + modelDim + ", numLayers=" + numLayers
                + ", numHeads=" + numHeads + ", ffnDim=" + ffnDim + ", posConv=" + posConvKernel + "/" + posConvGroups
                + ", mask=" + maskProb + "/" + maskLength + "/" + minMasks + ", codebook=" + codebookGroups + "x"
                + codebookEntries + "->" + codevectorDim + ", finalDim=" + finalDim + ", temperature=" + maxTemperature
                + ".." + minTemperature + " x" + temperatureDecay + ", K=" + numDistractors + ", featureGradMult="
                + featureGradMult + ", kappa=" + logitTemperature + ", alpha=" + diversityWeight + ", featurePenalty="
                + featurePenaltyWeight + "]";
    }
}
