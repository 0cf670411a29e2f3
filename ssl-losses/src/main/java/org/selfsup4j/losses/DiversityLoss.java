package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * The codebook diversity penalty L_d of wav2vec 2.0: pushes the average codeword distribution of each
 * of the G codebooks towards uniform, so that all V entries get used.
 *
 * <pre>
 *   p_fgv   = softmax_v(x_fg)                      (no Gumbel noise, as fairseq's prob_perplexity)
 *   pbar_gv = (1/F) sum_f p_fgv
 *   perplexity = sum_g exp( -sum_v pbar_gv log(pbar_gv + 1e-7) )
 *   value   = (G V - perplexity) / (G V)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument / result</th><th>shape</th><th>type</th></tr>
 *   <tr><td>x: codebook logits before Gumbel noise (the quantizer's weight_proj output, viewed per group)</td><td>[F, G, V]</td><td>FLOAT/DOUBLE</td></tr>
 *   <tr><td>gradient d value / dx</td><td>[F, G, V]</td><td>as x</td></tr>
 * </table>
 *
 * <p>Input: the <em>logits</em>, not probabilities. F is every frame that went through the quantizer; in
 * fairseq's wav2vec 2.0 these are the masked frames of the batch. Reduction: one scalar for the batch
 * (the average over frames is inside). {@link PenaltyResult#statistic()} is the perplexity. The value is
 * unweighted; {@link #DEFAULT_WEIGHT} alpha is applied by {@link Wav2Vec2Loss}.
 *
 * <p>Paper: Baevski et al., "wav2vec 2.0", NeurIPS 2020, eq. (4) (alpha = 0.1). Reference code: fairseq
 * {@code GumbelVectorQuantizer.forward} ({@code prob_perplexity}, including the 1e-7 inside the log) and
 * {@code Wav2Vec2Model.get_extra_losses}. Deviation: sums are accumulated in double. Not thread-safe
 * (cached buffers; the returned gradient is overwritten by the next call).
 */
public final class DiversityLoss {
    /** Weight alpha of the diversity term in the paper. */
    public static final double DEFAULT_WEIGHT = 0.1;
    /** Added inside the log of the entropy, as fairseq. */
    public static final double LOG_EPS = 1e-7;

    private static final String WHERE = "DiversityLoss.compute";
    private final SpeechKernels.BufferCache cache = new SpeechKernels.BufferCache();

    /** Value (unweighted), perplexity and gradient with respect to the logits. */
    public PenaltyResult compute(INDArray logits) {
        Checks.floating(WHERE, "logits", logits);
        Checks.rank(WHERE, "logits", logits, 3, "[F, G, V]");
        Checks.nonEmpty(WHERE, "logits", logits);
        final long f = logits.size(0);
        final int g = (int) logits.size(1);
        final int v = (int) logits.size(2);
        DataType dt = logits.dataType();
        INDArray x = cache.dense("x", logits);
        INDArray p = cache.get("p", dt, f, g, v);
        Nd4j.exec(new SoftMax(x, p, 2));
        INDArray pbar = p.reshape(f, (long) g * v).mean(0);
        DataBuffer pb = pbar.castTo(DataType.DOUBLE).data();
        int gv = g * v;
        double perplexity = 0;
        double[] dPbar = new double[gv];
        for (int gi = 0; gi < g; gi++) {
            double h = 0;
            for (int vi = 0; vi < v; vi++) {
                double a = pb.getDouble(gi * v + vi);
                h -= a * Math.log(a + LOG_EPS);
            }
            double eh = Math.exp(h);
            perplexity += eh;
            // d value / d pbar = -(1/GV) exp(H_g) dH_g/dpbar, dH/da = -(log(a + eps) + a / (a + eps))
            for (int vi = 0; vi < v; vi++) {
                double a = pb.getDouble(gi * v + vi);
                dPbar[gi * v + vi] = (eh / gv) * (Math.log(a + LOG_EPS) + a / (a + LOG_EPS)) / f;
            }
        }
        double value = (gv - perplexity) / gv;
        // softmax backward: dx = p * (g - sum_v p g), with g = dPbar broadcast over frames
        INDArray gRow = Nd4j.createFromArray(dPbar).castTo(dt).reshape(1, gv);
        INDArray grad = cache.get("grad", dt, f, g, v);
        INDArray grad2 = grad.reshape(f, gv);
        grad2.assign(p.reshape(f, gv)).muliRowVector(gRow);
        INDArray rowSums = grad.reshape(f * g, v).sum(1).reshape(f * g, 1);
        INDArray tmp = cache.get("tmp", dt, f * g, v);
        tmp.assign(p.reshape(f * g, v)).muliColumnVector(rowSums);
        grad.reshape(f * g, v).subi(tmp);
        return new PenaltyResult(value, perplexity, grad);
    }
}
