package org.selfsup4j.speech.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.FeaturePenalty;
import org.selfsup4j.losses.HubertLoss;
import org.selfsup4j.losses.IlsSslLoss;
import org.selfsup4j.losses.MaskedPredictionResult;
import org.selfsup4j.losses.PenaltyResult;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.HubertConfig;
import org.selfsup4j.speech.model.HubertModel;
import org.selfsup4j.speech.model.SpanMasking;
import org.selfsup4j.speech.model.SpeechBackbone;

/**
 * The HuBERT / ILS-SSL pre-training step after the feature encoder, as an {@link Objective} of the core trainer.
 *
 * <pre>
 *   y     = labeler(waveforms, T)                                   k-means ids [N, T]
 *   mask  = SpanMasking(N, T, 0.8, M, minMasks; rng of (seed, step, stream 1))
 *   h     = Transformer(mask(post_proj(LN(z))))
 *   loss  = sum_{j} HubertLoss(h_{l_j}, W_j, b_j, E_j, y, mask) / M  +  w_f * mean(z^2)     ({@link IlsSslLoss})
 *   dz    = featureGradMult * dloss/dz
 * </pre>
 *
 * <p>With one prediction layer (the top) this is HuBERT; with several it is ILS-SSL. Reduction as
 * fairseq's {@code HubertCriterion} divided by its {@code sample_size} (M masked frames). Metrics:
 * {@code accuracy} (masked-prediction accuracy of the top head), {@code layer<l>} (per-layer loss per
 * masked frame), {@code feature_penalty}, {@code mask_fraction}. Deviations: no dropout; labels come
 * from the labeler each step rather than from precomputed label files.
 */
public final class HubertObjective implements Objective {
    static final long STREAM_MASK = 1;

    private final HubertModel model;
    private final HubertConfig config;
    private final FrameLabeler labeler;
    private final IlsSslLoss loss;
    private final FeaturePenalty penalty = new FeaturePenalty();
    private final List<Parameter> parameters;
    private INDArray grad;

    /**
     * @param model the model
     * @param labeler frame targets for each batch
     */
    public HubertObjective(HubertModel model, FrameLabeler labeler) {
        this.model = model;
        this.config = model.config();
        this.labeler = labeler;
        this.loss = new IlsSslLoss(config.predictionLayers(), config.logitTemperature(), HubertLoss.DEFAULT_UNMASKED_WEIGHT);
        this.parameters = model.objectiveParameters();
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        ObjectiveSupport.singleView("HubertObjective.compute", inputs);
        INDArray features = ObjectiveSupport.singleView("HubertObjective.compute", embeddings);
        DataType dt = features.dataType();
        int n = (int) features.size(0);
        int t = (int) features.size(1);
        INDArray ids = labeler.labels(inputs.get(0), t);
        if (ids.rank() != 2 || ids.size(0) != n || ids.size(1) != t) {
            throw new IllegalStateException("HubertObjective.compute: the labeler returned " + Arrays.toString(ids.shape())
                    + " labels for " + n + " utterances of " + t + " frames");
        }
        boolean[][] mask = SpanMasking.compute(n, t, config.maskProb(), config.trunk().maskLength(),
                config.trunk().minMasks(), context.random(STREAM_MASK));
        INDArray maskArr = SpanMasking.toArray(mask, dt);
        SpeechBackbone backbone = model.backbone();
        List<INDArray> hidden = backbone.forwardContext(features, mask, true);
        List<Parameter> ws = model.projections();
        List<Parameter> bs = model.biases();
        List<Parameter> es = model.labelEmbeddings();
        MaskedPredictionResult r = loss.compute(hidden, values(ws), values(bs), values(es), ids, maskArr);
        double scale = r.count() == 0 ? 0 : 1.0 / r.count();
        int[] layers = config.predictionLayers();
        List<INDArray> layerGrads = new ArrayList<>();
        for (int l = 0; l < hidden.size(); l++) {
            layerGrads.add(null);
        }
        for (int j = 0; j < layers.length; j++) {
            layerGrads.set(layers[j] - 1, r.gradient(IlsSslLoss.gradientIndex(j, HubertLoss.GRAD_OUTPUT)).muli(scale));
            ws.get(j).gradient().addi(r.gradient(IlsSslLoss.gradientIndex(j, HubertLoss.GRAD_PROJECTION)).muli(scale));
            bs.get(j).gradient().addi(r.gradient(IlsSslLoss.gradientIndex(j, HubertLoss.GRAD_BIAS)).muli(scale));
            es.get(j).gradient().addi(r.gradient(IlsSslLoss.gradientIndex(j, HubertLoss.GRAD_EMBEDDINGS)).muli(scale));
        }
        INDArray dz = backbone.backwardContext(layerGrads, null);
        PenaltyResult pen = penalty.compute(features);
        grad = ObjectiveSupport.reuseLike(grad, features);
        grad.assign(dz).addi(pen.gradient().muli(config.featurePenaltyWeight()))
                .muli(config.trunk().featureGradMult());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", r.accuracy());
        for (int layer : layers) {
            metrics.put("layer" + layer, r.term("layer" + layer) * scale);
        }
        metrics.put("feature_penalty", pen.value());
        metrics.put("mask_fraction", SpanMasking.maskedFraction(mask));
        return new ObjectiveOutput(r.mean() + config.featurePenaltyWeight() * pen.value(), List.of(grad), metrics);
    }

    private static List<INDArray> values(List<Parameter> ps) {
        List<INDArray> vs = new ArrayList<>(ps.size());
        for (Parameter p : ps) {
            vs.add(p.value());
        }
        return vs;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
