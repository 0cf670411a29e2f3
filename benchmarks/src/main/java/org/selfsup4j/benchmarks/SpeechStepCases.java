package org.selfsup4j.benchmarks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.speech.methods.Hubert;
import org.selfsup4j.speech.methods.HubertObjective;
import org.selfsup4j.speech.methods.SpeechMethodConfig;
import org.selfsup4j.speech.methods.Wav2Vec2Objective;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.SpeechModelPreset;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;

/**
 * The speech CLI's small wav2vec 2.0 and HuBERT models as trainer pieces, for {@link StepProfile}'s
 * {@code wav2vec2-small} and {@code hubert-small} cases; {@code scripts/speech_step_torch.py} builds the
 * same architecture in PyTorch. HuBERT's labels are fixed random cluster ids: its k-means of MFCC
 * frames labels the batch before the step, data preparation that the PyTorch side does not time either.
 */
final class SpeechStepCases {
    /** The CLI's default batch ({@code --batch}). */
    static final int BATCH = 8;
    /** The CLI's default crop: 0.5 s at 8 kHz. */
    static final int SAMPLES = 4000;
    /** The CLI's HuBERT clusters ({@link SpeechMethodConfig#DEFAULT_CLUSTERS}). */
    static final int CLUSTERS = SpeechMethodConfig.DEFAULT_CLUSTERS;

    /** A trainer's encoder and objective. */
    record Pieces(Encoder encoder, Objective objective) {
    }

    private SpeechStepCases() {
    }

    static Pieces wav2vec2Small(long seed) {
        Wav2Vec2Model m = new Wav2Vec2Model(SpeechModelPreset.SMALL.config(), DataType.FLOAT, seed);
        return new Pieces(m.featureEncoder(), new Wav2Vec2Objective(m));
    }

    static Pieces hubertSmall(long seed) {
        Wav2Vec2Config trunk = SpeechModelPreset.SMALL.config();
        HubertModel m = new HubertModel(HubertConfig.hubert(trunk, CLUSTERS, Hubert.finalDim(trunk)), DataType.FLOAT, seed);
        return new Pieces(m.featureEncoder(), new HubertObjective(m, fixedLabels(seed)));
    }

    /** The same random ids for every batch of a shape, drawn once. */
    private static FrameLabeler fixedLabels(long seed) {
        INDArray[] cached = new INDArray[1];
        return (waveforms, frames) -> {
            long n = waveforms.size(0);
            if (cached[0] == null || cached[0].size(0) != n || cached[0].size(1) != frames) {
                SplittableRandom r = new SplittableRandom(seed);
                int[] ids = new int[(int) n * frames];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = r.nextInt(CLUSTERS);
                }
                cached[0] = Nd4j.createFromArray(ids).reshape(n, frames);
            }
            return cached[0];
        };
    }
}
