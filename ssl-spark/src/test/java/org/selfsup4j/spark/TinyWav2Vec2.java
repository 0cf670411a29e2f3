package org.selfsup4j.spark;

import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.speech.methods.Wav2Vec2Objective;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;

/**
 * wav2vec 2.0 ({@link Wav2Vec2Config#tiny()}, float64) as a replica: the convolutional feature
 * encoder is distributed, the objective (masking, transformer, quantizer, contrastive and diversity
 * losses) runs on the global batch's features on every worker.
 */
record TinyWav2Vec2() implements ReplicaFactory {
    @Override
    public Replica build(Collective collective) {
        Wav2Vec2Model model = new Wav2Vec2Model(Wav2Vec2Config.tiny(), DataType.DOUBLE, 1);
        return new Replica(model.featureEncoder(), new Wav2Vec2Objective(model),
                Sgd.builder(new ConstantSchedule(0.05)).momentum(0.9).build(), 1, false);
    }
}
