package org.selfsup4j.speech.methods;

import java.util.Optional;
import org.selfsup4j.speech.model.Wav2Vec2Model;

/**
 * wav2vec 2.0 (Baevski, Zhou, Mohamed, Auli, NeurIPS 2020): contrastive prediction of the quantized
 * features of masked frames among distractors, plus the codebook diversity loss
 * ({@link Wav2Vec2Objective} over a {@link Wav2Vec2Model}).
 *
 * <p>Paper defaults are the trunk's ({@link org.selfsup4j.speech.model.Wav2Vec2Config#base()}); the
 * small preset's deviations (diversity weight 0.5, slower temperature decay) are documented there.
 */
public final class Wav2Vec2 {
    private Wav2Vec2() {
    }

    /**
     * @param cfg trunk, dtype, seeds, schedule
     * @return the assembly
     */
    public static SpeechPretrainSetup assemble(SpeechMethodConfig cfg) {
        Wav2Vec2Model m = new Wav2Vec2Model(cfg.trunk(), cfg.dtype(), cfg.modelSeed());
        return new SpeechPretrainSetup("wav2vec2", m.backbone(), m.featureEncoder(), new Wav2Vec2Objective(m),
                SpeechAssembly.adam(cfg), Optional.empty());
    }
}
