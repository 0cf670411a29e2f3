package org.selfsup4j.speech.methods;

import java.util.Optional;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.cluster.KMeansModel;

/**
 * An assembled speech method, ready for {@link org.selfsup4j.core.train.Trainer}: {@code new
 * Trainer(config, setup.encoder(), setup.objective(), setup.optimizer())} fed with waveforms
 * {@code [N, samples]} (e.g. {@link org.selfsup4j.speech.data.CropBatchSource}).
 *
 * @param method the method's name, e.g. {@code "hubert"}
 * @param backbone the representation probed after training (shares weights with the encoder and objective)
 * @param encoder the feature encoder (the trainer's encoder)
 * @param objective everything after the feature encoder: masking, transformer, heads or quantizer, loss
 * @param optimizer Adam with the configured schedule
 * @param targets the k-means model of the frame targets (HuBERT, ILS-SSL), empty for wav2vec 2.0
 */
public record SpeechPretrainSetup(String method, SpeechBackbone backbone, Encoder encoder, Objective objective,
        Optimizer optimizer, Optional<KMeansModel> targets) {
}
