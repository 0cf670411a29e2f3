package org.selfsup4j.spark;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.speech.methods.HubertObjective;
import org.selfsup4j.speech.methods.Wav2Vec2Objective;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;

/**
 * A speech method on {@link Wav2Vec2Config#tiny()} in float64 as a replica: the convolutional
 * feature encoder is distributed, the objective (masking, transformer, and wav2vec 2.0's quantizer
 * and contrastive loss or HuBERT's masked prediction of frame labels) runs on the global batch's
 * features on every worker.
 *
 * @param kind the method
 */
record TinySpeech(Kind kind) implements ReplicaFactory {
    /** The methods. */
    enum Kind { WAV2VEC2, HUBERT }

    private static final int CLUSTERS = 4;

    @Override
    public Replica build(Collective collective) {
        var sgd = Sgd.builder(new ConstantSchedule(0.05)).momentum(0.9).build();
        if (kind == Kind.WAV2VEC2) {
            Wav2Vec2Model model = new Wav2Vec2Model(Wav2Vec2Config.tiny(), DataType.DOUBLE, 1);
            return new Replica(model.featureEncoder(), new Wav2Vec2Objective(model), sgd, 1, false);
        }
        HubertModel model = new HubertModel(HubertConfig.hubert(Wav2Vec2Config.tiny(), CLUSTERS, 8), DataType.DOUBLE, 2);
        // the labeler reads the waveforms, so the input shards must reach every worker
        return new Replica(model.featureEncoder(), new HubertObjective(model, TinySpeech::labels), sgd, 1, true);
    }

    /**
     * A {@link FrameLabeler} that needs no k-means: the sign of the waveform at the frame's position
     * and the frame's parity in blocks of four, a function of the waveform alone as real targets are.
     */
    private static INDArray labels(INDArray waves, int frames) {
        int n = (int) waves.size(0);
        int[] ids = new int[n * frames];
        for (int b = 0; b < n; b++) {
            for (int t = 0; t < frames; t++) {
                long s = Math.min(waves.size(1) - 1, (long) t * waves.size(1) / frames);
                ids[b * frames + t] = ((waves.getDouble(b, s) > 0 ? 1 : 0) + ((t / 4) % 2) * 2) % CLUSTERS;
            }
        }
        return Nd4j.createFromArray(ids).reshape(n, frames);
    }
}
