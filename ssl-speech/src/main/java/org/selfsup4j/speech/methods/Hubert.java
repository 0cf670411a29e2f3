package org.selfsup4j.speech.methods;

import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * HuBERT, first iteration (Hsu et al., "HuBERT: Self-Supervised Speech Representation Learning by
 * Masked Prediction of Hidden Units", TASLP 2021): masked prediction of k-means clusters of MFCC frames
 * at the top layer ({@link HubertObjective}, targets from {@link MfccTargets}).
 *
 * <p>Paper defaults: 100 clusters ({@link HubertConfig#DEFAULT_ITERATION1_CLUSTERS}), final dimension
 * {@link HubertConfig#DEFAULT_FINAL_DIM}, mask probability 0.8. Here: {@link SpeechMethodConfig#clusters()}
 * clusters and final dimension {@link #finalDim}: {@link #SMALL_FINAL_DIM} for the small trunk, the
 * trunk's own 256 for the BASE preset. Iteration 2 ({@link #assembleIteration2}) predicts k-means units of
 * a layer of a frozen iteration-1 model instead ({@link LayerTargets}).
 */
public final class Hubert {
    /** Final projection dimension used with the small trunk (HuBERT base: {@link HubertConfig#DEFAULT_FINAL_DIM}). */
    public static final int SMALL_FINAL_DIM = 128;

    private Hubert() {
    }

    /**
     * @param cfg trunk, dtype, seeds, schedule, clusters and the audio the targets are clustered from
     * @return the assembly, with the k-means model of its targets
     */
    public static SpeechPretrainSetup assemble(SpeechMethodConfig cfg) {
        return supervising("hubert", cfg, Optional.empty(), cfg.trunk().numLayers());
    }

    /**
     * @param cfg trunk, dtype, seeds, schedule, clusters and the audio the targets are clustered from
     * @param layerFrames the frozen iteration-1 model's layer: waveforms {@code [N, samples]} to
     *     {@code [N, T, D]} (the training crops are at its sample rate)
     * @return the assembly, with the k-means model of the layer's frames
     */
    public static SpeechPretrainSetup assembleIteration2(SpeechMethodConfig cfg,
            Function<INDArray, INDArray> layerFrames) {
        return supervising("hubert", cfg, Optional.of(layerFrames), cfg.trunk().numLayers());
    }

    /**
     * @param trunk the model's trunk
     * @return the dimension of the prediction space: the trunk's contrastive dimension, at least
     *     {@link #SMALL_FINAL_DIM} (so 128 for the small and tiny trunks, 256 for BASE)
     */
    public static int finalDim(Wav2Vec2Config trunk) {
        return Math.max(SMALL_FINAL_DIM, trunk.finalDim());
    }

    /**
     * The one masked-prediction assembly behind HuBERT and ILS-SSL, which differ only in the layers
     * that get a prediction head: HuBERT supervises the top layer alone, ILS-SSL an intermediate layer
     * as well ({@link IlsSsl}).
     *
     * @param method the setup's name
     * @param cfg the configuration
     * @param layerFrames empty: iteration 1, k-means of MFCC frames; present: the frozen model's layer whose
     *     k-means units are the targets (iteration 2 and later)
     * @param layers the supervised layers (1-based; the top layer among them)
     * @return the assembly, with the k-means model of its targets
     */
    static SpeechPretrainSetup supervising(String method, SpeechMethodConfig cfg,
            Optional<Function<INDArray, INDArray>> layerFrames, int... layers) {
        // HubertConfig.hubert is ilsSsl with the top layer alone
        HubertConfig hc = HubertConfig.ilsSsl(cfg.trunk(), cfg.clusters(), finalDim(cfg.trunk()), layers);
        return layerFrames.isPresent() ? SpeechAssembly.maskedPrediction(method, hc, cfg, layerFrames.get())
                : SpeechAssembly.maskedPrediction(method, hc, cfg);
    }
}
