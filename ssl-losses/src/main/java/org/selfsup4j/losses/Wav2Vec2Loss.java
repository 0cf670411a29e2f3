package org.selfsup4j.losses;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * The full wav2vec 2.0 pre-training objective: contrastive task + codebook diversity + feature penalty,
 * scaled exactly as fairseq's {@code Wav2vecCriterion}.
 *
 * <pre>
 *   M     = number of masked steps (fairseq's sample_size)
 *   value = L_contrastive                                  (sum over masked steps, {@link Wav2Vec2ContrastiveLoss})
 *         + alpha * M * L_diversity                        ({@link DiversityLoss}, alpha = 0.1)
 *         + beta  * M * L_features                         ({@link FeaturePenalty}, beta = 10)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient index</th></tr>
 *   <tr><td>context c</td><td>[B, T, D]</td><td>{@link #GRAD_CONTEXT}</td></tr>
 *   <tr><td>quantized targets q</td><td>[B, T, D]</td><td>{@link #GRAD_TARGETS}</td></tr>
 *   <tr><td>mask</td><td>[B, T]</td><td>-</td></tr>
 *   <tr><td>distractors</td><td>[B, T, K]</td><td>-</td></tr>
 *   <tr><td>codebook logits (nullable: no diversity term)</td><td>[F, G, V]</td><td>{@link #GRAD_CODEBOOK_LOGITS}</td></tr>
 *   <tr><td>features (nullable: no feature penalty)</td><td>any</td><td>{@link #GRAD_FEATURES}</td></tr>
 * </table>
 *
 * <p>fairseq multiplies every "extra loss" by {@code sample_size} so that, after the trainer divides
 * the summed gradient by {@code sample_size}, the extra terms enter with their plain weights; the
 * contrastive term is a sum. {@link MaskedPredictionResult#mean()} is {@code value / M} (fairseq's
 * logged loss before its division by ln 2); terms {@code "contrastive"}, {@code "diversity"} and
 * {@code "feature_penalty"} hold the unweighted, unscaled parts, {@code "prob_perplexity"} the
 * codebook perplexity. Paper: Baevski et al., "wav2vec 2.0", NeurIPS 2020, eq. (2)-(4). Deviation
 * from the paper (not from fairseq): the paper writes L_m + alpha L_d without the factor M and does
 * not mention the feature penalty. Not thread-safe (cached buffers).
 */
public final class Wav2Vec2Loss {
    /** Index of dL/dc. */
    public static final int GRAD_CONTEXT = 0;
    /** Index of dL/dq. */
    public static final int GRAD_TARGETS = 1;
    /** Index of dL/d(codebook logits); null when none were given. */
    public static final int GRAD_CODEBOOK_LOGITS = 2;
    /** Index of dL/d(features); null when none were given. */
    public static final int GRAD_FEATURES = 3;

    private final Wav2Vec2ContrastiveLoss contrastive;
    private final DiversityLoss diversity = new DiversityLoss();
    private final FeaturePenalty featurePenalty = new FeaturePenalty();
    private final double diversityWeight;
    private final double featureWeight;

    /** With the paper's defaults: kappa 0.1, alpha 0.1, feature weight 10. */
    public Wav2Vec2Loss() {
        this(Wav2Vec2ContrastiveLoss.DEFAULT_LOGIT_TEMPERATURE, DiversityLoss.DEFAULT_WEIGHT, FeaturePenalty.DEFAULT_WEIGHT);
    }

    /**
     * @param logitTemperature kappa of the contrastive term
     * @param diversityWeight  alpha, &gt;= 0
     * @param featureWeight    weight of the feature penalty, &gt;= 0
     */
    public Wav2Vec2Loss(double logitTemperature, double diversityWeight, double featureWeight) {
        this.diversityWeight = Checks.nonNegative("Wav2Vec2Loss", "diversityWeight", diversityWeight);
        this.featureWeight = Checks.nonNegative("Wav2Vec2Loss", "featureWeight", featureWeight);
        this.contrastive = new Wav2Vec2ContrastiveLoss(logitTemperature);
    }

    /** Value, mean, accuracy, and gradients {@code [dL/dc, dL/dq, dL/dlogits, dL/dfeatures]}. */
    public MaskedPredictionResult compute(INDArray c, INDArray q, INDArray mask, INDArray distractors,
            INDArray codebookLogits, INDArray features) {
        MaskedPredictionResult r = contrastive.compute(c, q, mask, distractors);
        double m = r.count();
        double value = r.value();
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("contrastive", r.value());
        INDArray gLogits = null;
        INDArray gFeatures = null;
        if (codebookLogits != null) {
            PenaltyResult d = diversity.compute(codebookLogits);
            value += diversityWeight * m * d.value();
            gLogits = d.gradient().muli(diversityWeight * m);
            terms.put("diversity", d.value());
            terms.put("prob_perplexity", d.statistic());
        }
        if (features != null) {
            PenaltyResult p = featurePenalty.compute(features);
            value += featureWeight * m * p.value();
            gFeatures = p.gradient().muli(featureWeight * m);
            terms.put("feature_penalty", p.value());
        }
        double mean = r.count() == 0 ? 0 : value / m;
        return new MaskedPredictionResult(value, mean, r.accuracy(), r.count(),
                Arrays.asList(r.gradient(0), r.gradient(1), gLogits, gFeatures), terms);
    }
}
