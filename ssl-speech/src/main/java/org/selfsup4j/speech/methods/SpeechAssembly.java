package org.selfsup4j.speech.methods;

import java.util.Optional;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.speech.features.Mfcc;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.cluster.KMeansModel;

/** Pieces the speech method assemblies share. */
final class SpeechAssembly {
    private SpeechAssembly() {
    }

    /** Adam (no weight decay) with the configured schedule. */
    static Optimizer adam(SpeechMethodConfig cfg) {
        return Adam.builder(cfg.schedule()).build();
    }

    /** HuBERT or ILS-SSL: MFCC k-means targets of the training audio, then the model and its objective. */
    static SpeechPretrainSetup maskedPrediction(String method, HubertConfig hc, SpeechMethodConfig cfg) {
        Mfcc mfcc = Mfcc.hubert(cfg.sampleRate());
        KMeansModel km = MfccTargets.fit(mfcc, cfg.audio(), cfg.cropSamples(), cfg.clusters(), cfg.seed());
        return maskedPrediction(method, hc, cfg, km, MfccTargets.labeler(mfcc, km));
    }

    /** HuBERT or ILS-SSL on k-means targets of a frozen model's layer (iteration 2 and later). */
    static SpeechPretrainSetup maskedPrediction(String method, HubertConfig hc, SpeechMethodConfig cfg,
            Function<INDArray, INDArray> layerFrames) {
        KMeansModel km = LayerTargets.fit(layerFrames, cfg.audio(), cfg.cropSamples(), cfg.clusters(), cfg.seed());
        return maskedPrediction(method, hc, cfg, km, LayerTargets.labeler(layerFrames, km));
    }

    private static SpeechPretrainSetup maskedPrediction(String method, HubertConfig hc, SpeechMethodConfig cfg,
            KMeansModel km, FrameLabeler labeler) {
        HubertModel m = new HubertModel(hc, cfg.dtype(), cfg.modelSeed());
        return new SpeechPretrainSetup(method, m.backbone(), m.featureEncoder(), new HubertObjective(m, labeler),
                adam(cfg), Optional.of(km));
    }
}
