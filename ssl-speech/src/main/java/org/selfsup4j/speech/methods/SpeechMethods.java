package org.selfsup4j.speech.methods;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Looks a speech method up by name: {@code wav2vec2, hubert, ils-ssl}. */
public final class SpeechMethods {
    /** Every method name. */
    public static final List<String> NAMES = List.of("wav2vec2", "hubert", "ils-ssl");

    private SpeechMethods() {
    }

    /**
     * @param name a method name (case-insensitive; {@code _} and {@code -} interchangeable; {@code ils} and
     *             {@code wav2vec-2} accepted too)
     * @return its canonical name, one of {@link #NAMES}
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static String resolve(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "wav2vec2", "wav2vec-2", "wav2vec2.0", "wav2vec-2.0" -> "wav2vec2";
            case "hubert" -> "hubert";
            case "ils-ssl", "ils", "ilsssl" -> "ils-ssl";
            default -> throw new IllegalArgumentException("SpeechMethods: expected one of " + NAMES + ", got " + name);
        };
    }

    /**
     * @param name a method name, as {@link #resolve}
     * @param cfg the configuration
     * @return the assembly
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static SpeechPretrainSetup assemble(String name, SpeechMethodConfig cfg) {
        return switch (resolve(name)) {
            case "wav2vec2" -> Wav2Vec2.assemble(cfg);
            case "hubert" -> Hubert.assemble(cfg);
            default -> IlsSsl.assemble(cfg);
        };
    }

    /**
     * HuBERT or ILS-SSL from the second iteration on: targets are k-means units of a frozen model's layer.
     *
     * @param name {@code hubert} or {@code ils-ssl}, as {@link #resolve}
     * @param cfg the configuration
     * @param layerFrames the frozen model's layer: waveforms {@code [N, samples]} to {@code [N, T, D]}
     * @return the assembly
     * @throws IllegalArgumentException for wav2vec 2.0 (its targets are its own quantised features) or an
     *     unknown name
     */
    public static SpeechPretrainSetup assembleIteration2(String name, SpeechMethodConfig cfg,
            Function<INDArray, INDArray> layerFrames) {
        return switch (resolve(name)) {
            case "hubert" -> Hubert.assembleIteration2(cfg, layerFrames);
            case "ils-ssl" -> IlsSsl.assembleIteration2(cfg, layerFrames);
            default -> throw new IllegalArgumentException("SpeechMethods.assembleIteration2: wav2vec 2.0 learns its own"
                    + " quantised targets; expected hubert or ils-ssl, got " + name);
        };
    }
}
