package org.selfsup4j.speech.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The named model sizes of the speech command line ({@code --model}). Parameter counts are of the
 * trunk a probe and an encoder file keep (feature encoder, projection, positional convolution,
 * transformer); each method adds its heads (quantizer or label embeddings) on top.
 *
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>name</th><th>feature encoder</th><th>samples per frame</th><th>transformer</th><th>trunk parameters</th></tr>
 *   <tr><td>small</td><td>5 convolutions, 128-256 channels</td><td>80 (10 ms at 8 kHz, 5 ms at 16 kHz)</td>
 *       <td>3 layers of 256, 4 heads, FFN 1024</td><td>{@value #SMALL_TRUNK_PARAMETERS}</td></tr>
 *   <tr><td>base</td><td>7 convolutions of 512 channels</td><td>320 (20 ms at 16 kHz, 40 ms at 8 kHz)</td>
 *       <td>12 layers of 768, 12 heads, FFN 3072</td><td>{@value #BASE_TRUNK_PARAMETERS}</td></tr>
 * </table>
 *
 * <p>small is {@link Wav2Vec2Config#small()}, sized for a CPU (about 0.2-0.3 s per step of 8 x 0.5 s
 * crops on 2 cores). base is {@link Wav2Vec2Config#base()}, wav2vec 2.0 / HuBERT BASE (Baevski et al.
 * 2020): sized for a GPU, and meant for 16 kHz audio and crops of a few seconds (at 8 kHz a 0.5 s crop
 * is only 12 frames, too short for its masking of 10-frame spans).
 */
public enum SpeechModelPreset {
    /** {@link Wav2Vec2Config#small()}. */
    SMALL(Wav2Vec2Config::small),
    /** {@link Wav2Vec2Config#base()}. */
    BASE(Wav2Vec2Config::base);

    /** Trunk parameters of {@link #SMALL} (measured on the built model). */
    public static final long SMALL_TRUNK_PARAMETERS = 2_814_976L;
    /** Trunk parameters of {@link #BASE} (measured on the built model). */
    public static final long BASE_TRUNK_PARAMETERS = 94_371_584L;

    private final Supplier<Wav2Vec2Config> config;

    SpeechModelPreset(Supplier<Wav2Vec2Config> config) {
        this.config = config;
    }

    /** @return the configuration (a new instance each call) */
    public Wav2Vec2Config config() {
        return config.get();
    }

    /** @return the command-line name, e.g. {@code small} */
    public String presetName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return the command-line names of every preset */
    public static List<String> names() {
        return Arrays.stream(values()).map(SpeechModelPreset::presetName).toList();
    }

    /**
     * @param name a preset name, case-insensitive
     * @return the preset
     * @throws IllegalArgumentException for an unknown name, listing the names
     */
    public static SpeechModelPreset of(String name) {
        for (SpeechModelPreset p : values()) {
            if (p.presetName().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("SpeechModelPreset: expected one of " + names() + ", got '" + name + "'");
    }
}
