package org.selfsup4j.speech.methods;

import org.selfsup4j.speech.model.HubertConfig;

/**
 * ILS-SSL (Wang et al., "Self-Supervised Learning for Speech Recognition with Intermediate Layer
 * Supervision", ICASSP 2022): HuBERT's masked prediction of MFCC k-means targets, supervised at an
 * intermediate layer as well as at the top ({@link HubertObjective} with two prediction layers).
 *
 * <p>Here: layers {@link #LOWER_LAYER} and the top of the trunk, final dimension {@link Hubert#SMALL_FINAL_DIM}.
 */
public final class IlsSsl {
    /** The intermediate supervised layer (1-based) used with the small trunk. */
    public static final int LOWER_LAYER = 1;

    private IlsSsl() {
    }

    /**
     * @param cfg trunk, dtype, seeds, schedule, clusters and the audio the targets are clustered from
     * @return the assembly, with the k-means model of its targets
     */
    public static SpeechPretrainSetup assemble(SpeechMethodConfig cfg) {
        return SpeechAssembly.maskedPrediction("ils-ssl", HubertConfig.ilsSsl(cfg.trunk(), cfg.clusters(),
                Hubert.SMALL_FINAL_DIM, LOWER_LAYER, cfg.trunk().numLayers()), cfg);
    }
}
