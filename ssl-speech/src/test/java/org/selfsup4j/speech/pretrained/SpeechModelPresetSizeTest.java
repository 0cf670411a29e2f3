package org.selfsup4j.speech.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.selfsup4j.speech.model.SpeechModelPreset;

/** The trunk sizes the presets document are those of the built models. */
class SpeechModelPresetSizeTest {
    static long trunkParameters(SpeechModelPreset p) {
        return TrunkArrays.liveWeights(SpeechEncoderExport.fresh(p.config())).values().stream()
                .mapToLong(a -> a.length()).sum();
    }

    @Test
    void smallPreset_trunkHasTheDocumentedParameterCount() {
        assertEquals(SpeechModelPreset.SMALL_TRUNK_PARAMETERS, trunkParameters(SpeechModelPreset.SMALL));
    }

    @Test
    void basePreset_isWav2Vec2BaseSized_andHasTheDocumentedParameterCount() {
        var c = SpeechModelPreset.of("base").config();
        assertEquals(768, c.modelDim());
        assertEquals(12, c.numLayers());
        assertEquals(12, c.numHeads());
        assertEquals(3072, c.ffnDim());
        assertEquals(7, c.convChannels().length);
        assertEquals(320, java.util.Arrays.stream(c.convStrides()).reduce(1, (a, b) -> a * b));
        assertEquals(SpeechModelPreset.BASE_TRUNK_PARAMETERS, trunkParameters(SpeechModelPreset.BASE));
    }
}
