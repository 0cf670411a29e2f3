package org.selfsup4j.speech.model;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.speech.model.nn.ConvFeatureEncoder;

/**
 * A pre-training model: the {@link SpeechBackbone} that is kept and probed, plus the method's own
 * parameters after it (quantizer, projections, prediction heads). Trained with the core Trainer: the
 * trainer's encoder is {@link #featureEncoder()}, the objective trains {@link #objectiveParameters()}.
 */
public interface SpeechModel {

    /** @return the feature encoder, context network and mask embedding */
    SpeechBackbone backbone();

    /** @return every parameter after the feature encoder (what the objective trains) */
    List<Parameter> objectiveParameters();

    /** @return the trainer's encoder: the backbone's feature encoder */
    default ConvFeatureEncoder featureEncoder() {
        return backbone().featureEncoder();
    }

    /**
     * @param waveforms {@code [N, samples]}
     * @param layer 0 = projected features, 1..L
     * @return utterance embeddings from that layer, see {@link SpeechBackbone#meanPooled}
     */
    default INDArray meanPooled(INDArray waveforms, int layer) {
        return backbone().meanPooled(waveforms, layer);
    }
}
