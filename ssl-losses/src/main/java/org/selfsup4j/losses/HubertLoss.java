package org.selfsup4j.losses;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * HuBERT's masked prediction loss: project each frame's transformer output, score it against every
 * cluster embedding by cosine similarity, and take the cross-entropy with the frame's (k-means) label.
 *
 * <pre>
 *   z_bt   = o_bt W + b
 *   l_btc  = cos(z_bt, e_c) / tau                    (tau = 0.1; cos floors norms at 1e-8)
 *   CE_bt  = -log softmax_c(l_bt)[y_bt]
 *   value  = w_m * sum_{masked} CE_bt + w_u * sum_{unmasked} CE_bt      (w_m = 1, w_u = 0 by default)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>type</th><th>gradient index</th></tr>
 *   <tr><td>o: transformer outputs</td><td>[B, T, Din]</td><td>FLOAT/DOUBLE</td><td>{@link #GRAD_OUTPUT}</td></tr>
 *   <tr><td>W: final projection</td><td>[Din, Dp]</td><td>as o</td><td>{@link #GRAD_PROJECTION}</td></tr>
 *   <tr><td>b: projection bias (nullable)</td><td>[Dp]</td><td>as o</td><td>{@link #GRAD_BIAS} (null if b is)</td></tr>
 *   <tr><td>E: cluster (label) embeddings</td><td>[C, Dp]</td><td>as o</td><td>{@link #GRAD_EMBEDDINGS}</td></tr>
 *   <tr><td>y: cluster ids</td><td>[B, T]</td><td>any integer, in [0, C) where predicted</td><td>-</td></tr>
 *   <tr><td>mask (1 = masked)</td><td>[B, T]</td><td>BOOL or 0/1</td><td>-</td></tr>
 * </table>
 *
 * <p>Reduction: sums over frames as fairseq's {@code HubertCriterion} ({@code reduction="sum"});
 * {@link MaskedPredictionResult#count()} is its {@code sample_size} (masked frames, plus unmasked frames
 * when w_u &gt; 0), {@link MaskedPredictionResult#mean()} = value / count, accuracy over masked frames
 * (the label's logit is at least every other). Terms {@code "masked"} and {@code "unmasked"} are the
 * unweighted sums. Padding: fold it into the mask (and keep w_u = 0, or exclude padded frames some other way).
 *
 * <p>Paper: Hsu, Bolte, Tsai, Lakhotia, Salakhutdinov, Mohamed, "HuBERT: Self-Supervised Speech
 * Representation Learning by Masked Prediction of Hidden Units", IEEE/ACM TASLP 2021. Reference code:
 * fairseq {@code HubertModel.compute_nce}/{@code compute_pred} ({@code final_proj} is an
 * {@code nn.Linear} with bias; {@code logit_temp = 0.1}). Deviations: fairseq scores
 * [positive; all C clusters] and masks the cluster equal to the positive with -inf, which is the same
 * cross-entropy over the C clusters computed here unless two cluster embeddings are exactly equal (then
 * fairseq drops the duplicate too); one label set only (no {@code untie_final_proj} / multiple
 * dictionaries); no {@code target_glu}; softmax sums in double. The projection and cosines are computed
 * for all B T frames in bulk (GEMMs) and unused frames skipped afterwards, which costs up to 2x in FLOPs at
 * HuBERT's ~50% masking but avoids gathers. Not thread-safe (cached buffers; returned
 * gradients are overwritten by the next call).
 */
public final class HubertLoss {
    /** Logit temperature tau of HuBERT. */
    public static final double DEFAULT_LOGIT_TEMPERATURE = 0.1;
    /** fairseq's {@code pred_masked_weight}. */
    public static final double DEFAULT_MASKED_WEIGHT = 1.0;
    /** fairseq's {@code pred_nomask_weight} in the HuBERT base/large recipes. */
    public static final double DEFAULT_UNMASKED_WEIGHT = 0.0;
    /** Index of dL/do. */
    public static final int GRAD_OUTPUT = 0;
    /** Index of dL/dW. */
    public static final int GRAD_PROJECTION = 1;
    /** Index of dL/db (null without bias). */
    public static final int GRAD_BIAS = 2;
    /** Index of dL/dE. */
    public static final int GRAD_EMBEDDINGS = 3;

    private final String where;
    private final double tau;
    private final double maskedWeight;
    private final double unmaskedWeight;
    private final SpeechKernels.BufferCache cache = new SpeechKernels.BufferCache();

    /** With HuBERT's defaults (tau 0.1, masked weight 1, unmasked weight 0). */
    public HubertLoss() {
        this(DEFAULT_LOGIT_TEMPERATURE, DEFAULT_MASKED_WEIGHT, DEFAULT_UNMASKED_WEIGHT);
    }

    /**
     * @param logitTemperature tau, &gt; 0
     * @param maskedWeight     weight of masked frames, &gt;= 0
     * @param unmaskedWeight   weight of unmasked frames, &gt;= 0
     */
    public HubertLoss(double logitTemperature, double maskedWeight, double unmaskedWeight) {
        this("HubertLoss.compute", logitTemperature, maskedWeight, unmaskedWeight);
    }

    HubertLoss(String where, double logitTemperature, double maskedWeight, double unmaskedWeight) {
        this.where = where;
        this.tau = Checks.positive("HubertLoss", "logitTemperature", logitTemperature);
        this.maskedWeight = Checks.nonNegative("HubertLoss", "maskedWeight", maskedWeight);
        this.unmaskedWeight = Checks.nonNegative("HubertLoss", "unmaskedWeight", unmaskedWeight);
    }

    /** Value, mean, masked accuracy and gradients {@code [dL/do, dL/dW, dL/db, dL/dE]}. */
    public MaskedPredictionResult compute(INDArray o, INDArray w, INDArray bias, INDArray e, INDArray ids, INDArray mask) {
        Checks.floating(where, "o", o);
        Checks.rank(where, "o", o, 3, "[B, T, Din]");
        final int b = (int) o.size(0);
        final int t = (int) o.size(1);
        final long din = o.size(2);
        Checks.rank(where, "W", w, 2, "[Din, Dp] = [" + din + ", Dp]");
        Checks.sameType(where, "o", o, "W", w);
        if (w.size(0) != din) {
            throw new IllegalArgumentException(where + ": W must have shape [" + din + ", Dp] to match o "
                    + Checks.shape(o) + ", got " + Checks.shape(w));
        }
        final long dp = w.size(1);
        if (bias != null) {
            Checks.sameType(where, "o", o, "b", bias);
            if (bias.length() != dp || bias.rank() > 2 || (bias.rank() == 2 && bias.size(0) != 1)) {
                throw new IllegalArgumentException(where + ": b must have shape [" + dp + "], got " + Checks.shape(bias));
            }
        }
        Checks.rank(where, "E", e, 2, "[C, Dp] = [C, " + dp + "]");
        Checks.sameType(where, "o", o, "E", e);
        if (e.size(1) != dp || e.size(0) == 0) {
            throw new IllegalArgumentException(where + ": E must have shape [C, " + dp + "] with C > 0, got "
                    + Checks.shape(e));
        }
        final int c = (int) e.size(0);
        boolean[] masked = SpeechKernels.readMask(where, mask, b, t);
        Checks.shapeEquals(where, "ids", ids, b, t);
        int[] y = SpeechKernels.readInts(where, "ids", ids);

        DataType dt = o.dataType();
        final long n = (long) b * t;
        INDArray o2 = cache.dense("o", o).reshape(n, din);
        INDArray wd = cache.dense("w", w);
        INDArray ed = cache.dense("e", e);
        INDArray z = cache.get("z", dt, n, dp);
        o2.mmuli(wd, z);
        if (bias != null) {
            z.addiRowVector(bias.reshape(1, dp));
        }
        INDArray zn = cache.get("zn", dt, n, dp);
        INDArray en = cache.get("en", dt, c, dp);
        INDArray zNorms = SpeechKernels.normalizeRows(z, zn, SpeechKernels.COSINE_EPS);
        INDArray eNorms = SpeechKernels.normalizeRows(ed, en, SpeechKernels.COSINE_EPS);
        INDArray s = cache.get("s", dt, n, c);
        Nd4j.gemm(zn, en, s, false, true, 1.0, 0.0);
        INDArray ds = cache.get("ds", dt, n, c);
        ds.assign(0);

        DataBuffer sBuf = s.data();
        DataBuffer dsBuf = ds.data();
        double invTau = 1.0 / tau;
        double[] logits = new double[c];
        double sumMasked = 0;
        double sumUnmasked = 0;
        long nMasked = 0;
        long nUnmasked = 0;
        long correct = 0;
        for (int f = 0; f < n; f++) {
            boolean isMasked = masked[f];
            double weight = isMasked ? maskedWeight : unmaskedWeight;
            if (!isMasked && weight == 0) {
                continue;
            }
            int label = y[f];
            if (label < 0 || label >= c) {
                throw new IllegalArgumentException(where + ": ids[" + (f / t) + ", " + (f % t) + "] must be in [0, " + c
                        + "), got " + label);
            }
            long base = (long) f * c;
            for (int ci = 0; ci < c; ci++) {
                logits[ci] = sBuf.getDouble(base + ci) * invTau;
            }
            double lse = SpeechKernels.logSumExp(logits, c);
            double ce = lse - logits[label];
            if (isMasked) {
                sumMasked += ce;
                nMasked++;
                boolean best = true;
                for (int ci = 0; ci < c; ci++) {
                    best &= logits[ci] <= logits[label];
                }
                if (best) {
                    correct++;
                }
            } else {
                sumUnmasked += ce;
                nUnmasked++;
            }
            if (weight == 0) {
                continue;
            }
            double scale = weight * invTau;
            for (int ci = 0; ci < c; ci++) {
                dsBuf.put(base + ci, scale * Math.exp(logits[ci] - lse));
            }
            dsBuf.put(base + label, dsBuf.getDouble(base + label) - scale);
        }

        INDArray gzn = cache.get("gzn", dt, n, dp);
        INDArray gen = cache.get("gen", dt, c, dp);
        Nd4j.gemm(ds, en, gzn, false, false, 1.0, 0.0);
        Nd4j.gemm(ds, zn, gen, true, false, 1.0, 0.0);
        INDArray gz = cache.get("gz", dt, n, dp);
        INDArray ge = cache.get("ge", dt, c, dp);
        SpeechKernels.normalizeRowsBackward(zn, zNorms, gzn, gz, cache.get("tmpZ", dt, n, dp), SpeechKernels.COSINE_EPS);
        SpeechKernels.normalizeRowsBackward(en, eNorms, gen, ge, cache.get("tmpE", dt, c, dp), SpeechKernels.COSINE_EPS);
        INDArray gw = cache.get("gw", dt, din, dp);
        Nd4j.gemm(o2, gz, gw, true, false, 1.0, 0.0);
        INDArray go = cache.get("go", dt, b, t, din);
        Nd4j.gemm(gz, wd, go.reshape(n, din), false, true, 1.0, 0.0);
        INDArray gb = null;
        if (bias != null) {
            gb = cache.get("gb", dt, bias.shape()).assign(gz.sum(0).reshape(bias.shape()));
        }
        double value = maskedWeight * sumMasked + unmaskedWeight * sumUnmasked;
        long count = (maskedWeight > 0 ? nMasked : 0) + (unmaskedWeight > 0 ? nUnmasked : 0);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("masked", sumMasked);
        terms.put("unmasked", sumUnmasked);
        return new MaskedPredictionResult(value, count == 0 ? 0 : value / count,
                nMasked == 0 ? Double.NaN : (double) correct / nMasked, count, Arrays.asList(go, gw, gb, ge), terms);
    }
}
