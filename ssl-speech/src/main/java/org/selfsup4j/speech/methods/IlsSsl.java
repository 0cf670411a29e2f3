package org.selfsup4j.speech.methods;

import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ILS-SSL (Wang et al., "Self-Supervised Learning for Speech Recognition with Intermediate Layer
 * Supervision", ICASSP 2022): HuBERT's masked prediction of MFCC k-means targets, supervised at an
 * intermediate layer as well as at the top ({@link HubertObjective} with two prediction layers).
 *
 * <p>Here: layers {@link #LOWER_LAYER} and the top of the trunk, final dimension {@link Hubert#SMALL_FINAL_DIM}.
 */
public final class IlsSsl {
    /** The intermediate supervised layer (1-based) used with the small trunk ({@link #lowerLayer} of 3). */
    public static final int LOWER_LAYER = 1;

    private IlsSsl() {
    }

    /**
     * @param cfg trunk, dtype, seeds, schedule, clusters and the audio the targets are clustered from
     * @return the assembly, with the k-means model of its targets
     */
    public static SpeechPretrainSetup assemble(SpeechMethodConfig cfg) {
        return Hubert.supervising("ils-ssl", cfg, Optional.empty(), layers(cfg.trunk().numLayers()));
    }

    /**
     * ILS-SSL on the k-means units of a frozen earlier model's layer, as {@link Hubert#assembleIteration2}.
     *
     * @param cfg trunk, dtype, seeds, schedule, clusters and the audio the targets are clustered from
     * @param layerFrames the frozen model's layer: waveforms {@code [N, samples]} to {@code [N, T, D]}
     * @return the assembly, with the k-means model of the layer's frames
     */
    public static SpeechPretrainSetup assembleIteration2(SpeechMethodConfig cfg,
            Function<INDArray, INDArray> layerFrames) {
        return Hubert.supervising("ils-ssl", cfg, Optional.of(layerFrames), layers(cfg.trunk().numLayers()));
    }

    /**
     * @param numLayers transformer layers of the trunk
     * @return the intermediate supervised layer: a third of the way up, at least 1 ({@link #LOWER_LAYER}
     *     of the 3-layer small trunk; layer 4 of 12 for BASE, the paper's choice)
     */
    public static int lowerLayer(int numLayers) {
        return Math.max(LOWER_LAYER, numLayers / 3);
    }

    /** The supervised layers of a trunk of {@code numLayers}: {@link #lowerLayer} and the top. */
    private static int[] layers(int numLayers) {
        return new int[] {lowerLayer(numLayers), numLayers};
    }
}
