package org.selfsup4j.speech.methods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.DistractorSampler;
import org.selfsup4j.losses.MaskedPredictionResult;
import org.selfsup4j.losses.Wav2Vec2Loss;
import org.selfsup4j.speech.model.SpanMasking;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;
import org.selfsup4j.speech.model.Wav2Vec2Model;
import org.selfsup4j.speech.model.nn.GumbelVectorQuantizer;

/**
 * The wav2vec 2.0 pre-training step after the feature encoder, as an {@link Objective} of the core trainer.
 *
 * <pre>
 *   mask  = SpanMasking(N, T, p, M, minMasks; rng of (seed, step, stream 1))
 *   c     = final_proj(Transformer(mask(post_proj(LN(z)))))
 *   q     = project_q(GumbelQuantizer_tau(LN(z); rng stream 2)),  tau = max(2 * 0.999995^step, 0.5)
 *   loss  = Wav2Vec2Loss(c, q, mask, distractors(rng stream 3), quantizer logits of masked frames, z) / M
 *   dz    = featureGradMult * dloss/dz
 * </pre>
 *
 * <p>Loss and gradients are divided by M, the number of masked frames, as fairseq's trainer does with
 * {@code sample_size}. Metrics: {@code accuracy} (masked-prediction accuracy), {@code prob_perplexity},
 * {@code code_perplexity} (hard codes, all frames), {@code temperature}, {@code mask_fraction},
 * {@code contrastive} (per masked frame), {@code diversity}, {@code feature_penalty}. Deviations: the
 * quantizer runs on all frames (only masked ones enter the loss: fairseq quantizes masked frames only,
 * which gives the same gradients), no dropout. Not thread-safe.
 */
public final class Wav2Vec2Objective implements Objective {
    /** Stream ids of {@link StepContext#random(long)}. */
    static final long STREAM_MASK = 1;
    static final long STREAM_GUMBEL = 2;
    static final long STREAM_DISTRACTORS = 3;

    private final Wav2Vec2Model model;
    private final Wav2Vec2Config config;
    private final Wav2Vec2Loss loss;
    private final List<Parameter> parameters;
    private INDArray dLogitsAll;
    private INDArray grad;

    /** @param model the model whose context network, quantizer and projections this objective trains */
    public Wav2Vec2Objective(Wav2Vec2Model model) {
        this.model = model;
        this.config = model.config();
        this.loss = new Wav2Vec2Loss(config.logitTemperature(), config.diversityWeight(), config.featurePenaltyWeight());
        this.parameters = model.objectiveParameters();
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        INDArray features = ObjectiveSupport.singleView("Wav2Vec2Objective.compute", embeddings);
        DataType dt = features.dataType();
        int n = (int) features.size(0);
        int t = (int) features.size(1);
        SpeechBackbone backbone = model.backbone();
        double tau = GumbelVectorQuantizer.temperatureAt(context.step(),
                config.maxTemperature(), config.minTemperature(), config.temperatureDecay());
        model.quantizer().setTemperature(tau);
        boolean[][] mask = SpanMasking.compute(n, t, config.maskProb(), config.maskLength(), config.minMasks(),
                context.random(STREAM_MASK));
        List<INDArray> hidden = backbone.forwardContext(features, mask, true);
        INDArray c = model.finalProj().forward(hidden.get(hidden.size() - 1), true);
        INDArray qRaw = model.quantizer().forward(backbone.normalizedFeatures(), context.random(STREAM_GUMBEL));
        INDArray q = model.projectQ().forward(qRaw, true);
        INDArray maskArr = SpanMasking.toArray(mask, dt);
        INDArray distractors = DistractorSampler.sample(maskArr, config.numDistractors(), context.random(STREAM_DISTRACTORS));
        int[] rows = maskedRows(mask);
        int g = model.quantizer().groups();
        int v = model.quantizer().entries();
        INDArray logits2 = model.quantizer().logits().reshape((long) n * t, (long) g * v);
        INDArray maskedLogits = Nd4j.pullRows(logits2, 1, rows).reshape(rows.length, g, v);
        MaskedPredictionResult r = loss.compute(c, q, maskArr, distractors, maskedLogits, features);
        double scale = 1.0 / r.count();

        INDArray dTop = model.finalProj().backward(r.gradient(Wav2Vec2Loss.GRAD_CONTEXT).muli(scale));
        INDArray dQRaw = model.quantizer().backward(model.projectQ().backward(r.gradient(Wav2Vec2Loss.GRAD_TARGETS).muli(scale)),
                scatterLogits(r.gradient(Wav2Vec2Loss.GRAD_CODEBOOK_LOGITS), rows, n * t, g, v, scale, dt));
        List<INDArray> layerGrads = new ArrayList<>();
        for (int l = 0; l < hidden.size() - 1; l++) {
            layerGrads.add(null);
        }
        layerGrads.add(dTop);
        INDArray dz = backbone.backwardContext(layerGrads, dQRaw);
        grad = ObjectiveSupport.reuseLike(grad, features);
        grad.assign(dz).addi(r.gradient(Wav2Vec2Loss.GRAD_FEATURES).muli(scale)).muli(config.featureGradMult());

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", r.accuracy());
        metrics.put("prob_perplexity", r.term("prob_perplexity"));
        metrics.put("code_perplexity", model.quantizer().codePerplexity());
        metrics.put("temperature", tau);
        metrics.put("mask_fraction", SpanMasking.maskedFraction(mask));
        metrics.put("contrastive", r.term("contrastive") * scale);
        metrics.put("diversity", r.term("diversity"));
        metrics.put("feature_penalty", r.term("feature_penalty"));
        return new ObjectiveOutput(r.mean(), List.of(grad), metrics);
    }

    private double[] scatterHost;

    private INDArray scatterLogits(INDArray masked, int[] rows, long frames, int g, int v, double scale, DataType dt) {
        if (dLogitsAll == null || dLogitsAll.size(0) != frames || dLogitsAll.dataType() != dt) {
            dLogitsAll = Nd4j.create(dt, frames, g, v);
        }
        // One bulk copy in and out of the JVM instead of an ND4J op per masked row (hundreds per step).
        int width = g * v;
        if (scatterHost == null || scatterHost.length != frames * width) {
            scatterHost = new double[(int) (frames * width)];
        }
        java.util.Arrays.fill(scatterHost, 0.0);
        double[] m = masked.dup().data().asDouble();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(m, i * width, scatterHost, rows[i] * width, width);
        }
        dLogitsAll.assign(Nd4j.createFromArray(scatterHost).reshape(frames, g, v));
        return dLogitsAll.muli(scale);
    }

    static int[] maskedRows(boolean[][] mask) {
        int count = 0;
        for (boolean[] row : mask) {
            for (boolean b : row) {
                count += b ? 1 : 0;
            }
        }
        int[] rows = new int[count];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j < mask[i].length; j++) {
                if (mask[i][j]) {
                    rows[k++] = i * mask[i].length + j;
                }
            }
        }
        return rows;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }
}
