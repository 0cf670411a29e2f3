package org.selfsup4j.losses;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * The contrastive task of wav2vec 2.0: at every masked time step, pick the true quantized latent among
 * distractors drawn from other masked steps of the same utterance.
 *
 * <pre>
 *   for each masked step (b, t), with distractor steps j_1..j_K (from {@link DistractorSampler}):
 *     l_0 = cos(c_bt, q_bt) / kappa
 *     l_k = cos(c_bt, q_bj_k) / kappa      (k = 1..K; set to -inf when q_bj_k == q_bt exactly)
 *     loss_bt = -log( exp(l_0) / sum_{k=0..K} exp(l_k) )
 *   value = sum over masked steps of loss_bt
 *   cos(x, y) = x.y / (max(|x|, eps) max(|y|, eps)),  eps = 1e-8
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>type</th><th>gradient index</th></tr>
 *   <tr><td>context c (transformer output after the final projection)</td><td>[B, T, D]</td><td>FLOAT/DOUBLE</td><td>{@link #GRAD_CONTEXT}</td></tr>
 *   <tr><td>quantized targets q</td><td>[B, T, D]</td><td>as c</td><td>{@link #GRAD_TARGETS}</td></tr>
 *   <tr><td>mask (1 = masked step)</td><td>[B, T]</td><td>BOOL or 0/1 numeric</td><td>-</td></tr>
 *   <tr><td>distractor indices (time steps; rows of unmasked steps ignored)</td><td>[B, T, K]</td><td>any integer</td><td>-</td></tr>
 * </table>
 *
 * <p>Reduction: the sum over masked steps, as fairseq's {@code Wav2vecCriterion} (cross-entropy with
 * {@code reduction="sum"}); {@link MaskedPredictionResult#mean()} is that sum divided by the number of
 * masked steps (fairseq's {@code sample_size}), {@link MaskedPredictionResult#accuracy()} the fraction of
 * masked steps whose positive logit is at least every distractor's and not all logits are equal
 * (fairseq's {@code correct / count}).
 *
 * <p>Also known as the wav2vec 2.0 InfoNCE / contrastive loss L_m. Paper: Baevski, Zhou, Mohamed, Auli,
 * "wav2vec 2.0: A Framework for Self-Supervised Learning of Speech Representations", NeurIPS 2020
 * (kappa = 0.1, K = 100). Reference code: fairseq {@code Wav2Vec2Model.compute_preds}.
 *
 * <p>Follows fairseq: a distractor whose target vector is identical (every component equal) to the
 * positive's gets logit -inf, i.e. it is dropped from the softmax; cosine similarity floors each norm
 * at 1e-8 (as {@code torch.cosine_similarity} / {@code F.normalize}), so zero vectors give finite values
 * and gradients. Distractor indices must point at other masked steps of the same utterance (checked).
 * Deviations: the softmax is computed in double internally and written back in the input data type
 * (fairseq computes the cosines in float32); cross-utterance negatives ({@code cross_sample_negatives})
 * are not supported.
 *
 * <p>Cost: the cosines of all step pairs of each utterance are one batched GEMM ([B, T, D] x [B, D, T]),
 * the backward two more; the per-logit work is O(B T K). Buffers are cached per shape, so an
 * instance is not thread-safe and returned gradients are overwritten by its next call.
 */
public final class Wav2Vec2ContrastiveLoss {
    /** Logit temperature kappa of the paper. */
    public static final double DEFAULT_LOGIT_TEMPERATURE = 0.1;
    /** Distractors per masked step, K, of the paper. */
    public static final int DEFAULT_NUM_DISTRACTORS = 100;
    /** Index of dL/dc in {@link MaskedPredictionResult#gradient(int)}. */
    public static final int GRAD_CONTEXT = 0;
    /** Index of dL/dq in {@link MaskedPredictionResult#gradient(int)}. */
    public static final int GRAD_TARGETS = 1;

    private static final String WHERE = "Wav2Vec2ContrastiveLoss.compute";

    private final double kappa;
    private final SpeechKernels.BufferCache cache = new SpeechKernels.BufferCache();

    /** @param logitTemperature kappa, &gt; 0 */
    public Wav2Vec2ContrastiveLoss(double logitTemperature) {
        this.kappa = Checks.positive("Wav2Vec2ContrastiveLoss", "logitTemperature", logitTemperature);
    }

    /** The logit temperature kappa. */
    public double logitTemperature() {
        return kappa;
    }

    /**
     * The loss, its mean and accuracy, and gradients {@code [dL/dc, dL/dq]}.
     *
     * @throws IllegalArgumentException on shapes, types or indices that do not fit (see the class table)
     */
    public MaskedPredictionResult compute(INDArray c, INDArray q, INDArray mask, INDArray distractors) {
        Checks.floating(WHERE, "c", c);
        Checks.rank(WHERE, "c", c, 3, "[B, T, D]");
        Checks.notNull(WHERE, "q", q);
        Checks.sameShape(WHERE, "c", c, "q", q);
        Checks.sameType(WHERE, "c", c, "q", q);
        final int b = (int) c.size(0);
        final int t = (int) c.size(1);
        final int d = (int) c.size(2);
        boolean[] masked = SpeechKernels.readMask(WHERE, mask, b, t);
        Checks.rank(WHERE, "distractors", distractors, 3, "[B, T, K] = [" + b + ", " + t + ", K]");
        if (distractors.size(0) != b || distractors.size(1) != t) {
            throw new IllegalArgumentException(WHERE + ": distractors must have shape [" + b + ", " + t + ", K], got "
                    + Checks.shape(distractors));
        }
        final int k = (int) distractors.size(2);
        int[] idx = SpeechKernels.readInts(WHERE, "distractors", distractors);

        DataType dt = c.dataType();
        INDArray cRaw = cache.dense("cRaw", c);
        INDArray qRaw = cache.dense("qRaw", q);
        INDArray cn = cache.get("cn", dt, b, t, d);
        INDArray qn = cache.get("qn", dt, b, t, d);
        INDArray cNorms = SpeechKernels.normalizeRows(cRaw.reshape((long) b * t, d), cn.reshape((long) b * t, d),
                SpeechKernels.COSINE_EPS);
        INDArray qNorms = SpeechKernels.normalizeRows(qRaw.reshape((long) b * t, d), qn.reshape((long) b * t, d),
                SpeechKernels.COSINE_EPS);
        INDArray s = cache.get("s", dt, b, t, t);
        Nd4j.matmul(cn, qn, s, false, true, false);
        INDArray ds = cache.get("ds", dt, b, t, t);
        ds.assign(0);

        DataBuffer sBuf = s.data();
        DataBuffer dsBuf = ds.data();
        DataBuffer qBuf = qRaw.data();
        double[] logits = new double[k + 1];
        double total = 0;
        long count = 0;
        long correct = 0;
        double invKappa = 1.0 / kappa;
        for (int bi = 0; bi < b; bi++) {
            for (int ti = 0; ti < t; ti++) {
                int step = bi * t + ti;
                if (!masked[step]) {
                    continue;
                }
                long rowBase = (long) step * t;
                logits[0] = sBuf.getDouble(rowBase + ti) * invKappa;
                for (int ki = 0; ki < k; ki++) {
                    int j = idx[step * k + ki];
                    if (j < 0 || j >= t || j == ti || !masked[bi * t + j]) {
                        throw new IllegalArgumentException(WHERE + ": distractors[" + bi + ", " + ti + ", " + ki
                                + "] must be another masked step of utterance " + bi + " (in [0, " + t + "), != " + ti
                                + "), got " + j + (j >= 0 && j < t && j != ti ? " (an unmasked step)" : ""));
                    }
                    logits[ki + 1] = sameRow(qBuf, (long) step * d, (long) (bi * t + j) * d, d)
                            ? Double.NEGATIVE_INFINITY
                            : sBuf.getDouble(rowBase + j) * invKappa;
                }
                double lse = SpeechKernels.logSumExp(logits, k + 1);
                total += lse - logits[0];
                count++;
                boolean isMax = true;
                boolean isMin = true;
                for (int ki = 1; ki <= k; ki++) {
                    isMax &= logits[0] >= logits[ki];
                    isMin &= logits[0] <= logits[ki];
                }
                if (isMax && !isMin) {
                    correct++;
                }
                long pos = rowBase + ti;
                dsBuf.put(pos, dsBuf.getDouble(pos) + (Math.exp(logits[0] - lse) - 1.0) * invKappa);
                for (int ki = 0; ki < k; ki++) {
                    if (logits[ki + 1] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    long at = rowBase + idx[step * k + ki];
                    dsBuf.put(at, dsBuf.getDouble(at) + Math.exp(logits[ki + 1] - lse) * invKappa);
                }
            }
        }

        INDArray gcn = cache.get("gcn", dt, b, t, d);
        INDArray gqn = cache.get("gqn", dt, b, t, d);
        Nd4j.matmul(ds, qn, gcn, false, false, false);
        Nd4j.matmul(ds, cn, gqn, true, false, false);
        INDArray gc = cache.get("gc", dt, b, t, d);
        INDArray gq = cache.get("gq", dt, b, t, d);
        INDArray tmp = cache.get("tmp", dt, (long) b * t, d);
        SpeechKernels.normalizeRowsBackward(cn.reshape((long) b * t, d), cNorms, gcn.reshape((long) b * t, d),
                gc.reshape((long) b * t, d), tmp, SpeechKernels.COSINE_EPS);
        SpeechKernels.normalizeRowsBackward(qn.reshape((long) b * t, d), qNorms, gqn.reshape((long) b * t, d),
                gq.reshape((long) b * t, d), tmp, SpeechKernels.COSINE_EPS);
        double mean = count == 0 ? 0 : total / count;
        double acc = count == 0 ? Double.NaN : (double) correct / count;
        return new MaskedPredictionResult(total, mean, acc, count, List.of(gc, gq), Map.of("contrastive", total));
    }

    private static boolean sameRow(DataBuffer buf, long a, long b, int d) {
        for (int i = 0; i < d; i++) {
            if (buf.getDouble(a + i) != buf.getDouble(b + i)) {
                return false;
            }
        }
        return true;
    }
}
