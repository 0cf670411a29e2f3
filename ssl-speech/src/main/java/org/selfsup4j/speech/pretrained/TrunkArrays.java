package org.selfsup4j.speech.pretrained;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.encoder.EncoderArrays;
import org.selfsup4j.speech.model.SpeechBackbone;

/**
 * How a {@link SpeechBackbone}'s arrays are named in an encoder file and in a training checkpoint. The
 * file: the feature encoder's under {@value #FEATURE_ENCODER}, the context parameters (layer norm,
 * projection, mask embedding, transformer) under their own names ({@code layer_norm.*},
 * {@code post_extract_proj.*}, {@code mask_emb}, {@code encoder.*}). A checkpoint: the trainer's encoder
 * is the feature encoder ({@code param/encoder.*}, {@code buffer/encoder.*}), and the objective's
 * parameters begin with the context parameters ({@code param/objective.*}).
 */
final class TrunkArrays {
    static final String FEATURE_ENCODER = "feature_encoder.";
    static final String CKPT_FEATURE_PARAMS = "param/encoder.";
    static final String CKPT_FEATURE_BUFFERS = "buffer/encoder.";
    static final String CKPT_CONTEXT_PARAMS = "param/objective.";

    private TrunkArrays() {
    }

    /** @return the live weights, named as in the file */
    static Map<String, INDArray> liveWeights(SpeechBackbone b) {
        Map<String, INDArray> m = new LinkedHashMap<>(EncoderArrays.live(FEATURE_ENCODER, b.featureEncoder().parameters()));
        m.putAll(EncoderArrays.live("", b.contextParameters()));
        return m;
    }

    /** @return the live buffers, named as in the file */
    static Map<String, INDArray> liveBuffers(SpeechBackbone b) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        b.featureEncoder().buffers().forEach((k, v) -> m.put(FEATURE_ENCODER + k, v));
        return m;
    }
}
