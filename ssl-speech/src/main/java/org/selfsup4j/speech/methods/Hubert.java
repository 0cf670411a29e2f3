package org.selfsup4j.speech.methods;

import org.selfsup4j.speech.model.HubertConfig;

/**
 * HuBERT, first iteration (Hsu et al., "HuBERT: Self-Supervised Speech Representation Learning by
 * Masked Prediction of Hidden Units", TASLP 2021): masked prediction of k-means clusters of MFCC frames
 * at the top layer ({@link HubertObjective}, targets from {@link MfccTargets}).
 *
 * <p>Paper defaults: 100 clusters ({@link HubertConfig#DEFAULT_ITERATION1_CLUSTERS}), final dimension
 * {@link HubertConfig#DEFAULT_FINAL_DIM}, mask probability 0.8. Here: {@link SpeechMethodConfig#clusters()}
 * clusters and final dimension {@link #SMALL_FINAL_DIM} for the small trunk.
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
        return SpeechAssembly.maskedPrediction("hubert", HubertConfig.hubert(cfg.trunk(), cfg.clusters(),
                SMALL_FINAL_DIM), cfg);
    }
}
