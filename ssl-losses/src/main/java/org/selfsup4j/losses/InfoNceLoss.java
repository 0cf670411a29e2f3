package org.selfsup4j.losses;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;

/**
 * MoCo's InfoNCE: each query against its own key (positive) and a shared set of negatives.
 *
 * <pre>
 *   q_i, k_i, n_j  L2-normalized rows (x / max(||x||, 1e-12))
 *   logits_i = [ q_i . k_i,  q_i . n_1, ..., q_i . n_K ] / tau
 *   L = (1 / N) sum_i [ -logits_i[0] + log sum_c exp(logits_i[c]) ]
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>q (index 0), queries</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>k (index 1), positive keys</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>negatives (index 2), e.g. {@link MocoQueue#negatives()}</td><td>[K, D]</td><td>[K, D]</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: mean over the N queries (cross-entropy with the positive at index 0).
 * Also known as: InfoNCE, the MoCo contrastive loss, CPC's loss with a memory bank.
 * Papers: K. He, H. Fan, Y. Wu, S. Xie, R. Girshick, "Momentum Contrast for Unsupervised Visual
 * Representation Learning", CVPR 2020; X. Chen, H. Fan, R. Girshick, K. He, "Improved Baselines
 * with Momentum Contrastive Learning" (MoCo v2), arXiv:2003.04297, 2020.
 *
 * <p>Deviations: all three inputs are normalized here (MoCo normalizes q and k in the model and
 * stores normalized keys; normalizing an already unit row is a no-op up to rounding; a caller whose
 * negatives are known to be unit rows, as a {@link MocoQueue}'s, skips that work with
 * {@link #compute(INDArray, INDArray, INDArray, boolean)}). Gradients are
 * returned for every argument; MoCo back-propagates only into {@code q} (the keys come from the
 * momentum encoder and the queue is a constant), so a trainer simply ignores indices 1 and 2;
 * the gradient with respect to the negatives is computed lazily, on the first
 * {@code gradient(2)} call, and must be requested before the next {@code compute}. Buffers ({@code [N, K]} logits, normalized copies and gradients) are kept between calls;
 * gradients are valid until the next {@code compute} on this instance.
 */
public final class InfoNceLoss {
    /** MoCo v2's temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.2;
    /** MoCo v1's temperature. */
    public static final double MOCO_V1_TEMPERATURE = 0.07;

    private static final String WHERE = "InfoNceLoss.compute";

    private final double temperature;
    private final BufferPlan.Cache<Plan> plans = BufferPlan.Cache.sized(Plan::new);
    private long calls;

    /** @param temperature tau &gt; 0 */
    public InfoNceLoss(double temperature) {
        this.temperature = Checks.positive("InfoNceLoss", "temperature", temperature);
    }

    /** The temperature tau. */
    public double temperature() {
        return temperature;
    }

    /**
     * The loss and its gradients with respect to {@code q} (0), {@code k} (1) and {@code negatives} (2).
     *
     * @throws IllegalArgumentException if an argument is not rank 2, {@code q} and {@code k} differ
     *         in shape, {@code negatives} has another width D, or the data types differ
     */
    public LossResult compute(INDArray q, INDArray k, INDArray negatives) {
        return compute(q, k, negatives, false);
    }

    /**
     * As {@link #compute(INDArray, INDArray, INDArray)}; with {@code negativesNormalized} the caller
     * promises that every row of {@code negatives} already has unit L2 norm (as the keys in a
     * {@link MocoQueue}), so they are used as they are instead of being copied and normalized on
     * every call (for MoCo's queue of 65,536 keys the copy and normalization cost about as much as
     * the rest of the loss). The value and the gradients are those of the three-argument method up
     * to rounding (normalizing a unit row is a no-op); {@code negatives} must not change before a
     * requested {@code gradient(2)}.
     *
     * @param negativesNormalized whether the rows of {@code negatives} are known to be unit vectors
     * @throws IllegalArgumentException as the three-argument method
     */
    public LossResult compute(INDArray q, INDArray k, INDArray negatives, boolean negativesNormalized) {
        Checks.matrix(WHERE, "q", q);
        Checks.matrix(WHERE, "k", k);
        Checks.matrix(WHERE, "negatives", negatives);
        Checks.sameShape(WHERE, "q", q, "k", k);
        if (negatives.size(1) != q.size(1)) {
            // an explicit branch, not Checks.argument: this runs every step, so the message is built only on failure
            throw new IllegalArgumentException(WHERE + ": negatives must be [K, " + q.size(1) + "] to match q's D, got "
                    + Checks.shape(negatives));
        }
        Checks.sameType(WHERE, "q", q, "k", k);
        Checks.sameType(WHERE, "q", q, "negatives", negatives);
        int n = Checks.intSize(WHERE, "N", q.size(0));
        int d = Checks.intSize(WHERE, "D", q.size(1));
        int kk = Checks.intSize(WHERE, "K", negatives.size(0));
        Plan p = plans.get(q.dataType(), n, d, kk);
        double invT = 1.0 / temperature;

        p.q.forward(q);
        p.k.forward(k);
        INDArray neg;
        if (negativesNormalized) {
            neg = negatives;
        } else {
            neg = p.neg.rows;
            p.neg.forward(negatives);
        }

        p.tmpN.assign(p.q.rows).muli(p.k.rows);
        INDArray lpos = p.tmpN.sum(true, 1).muli(invT);
        Nd4j.gemm(p.q.rows, neg, p.lneg, false, true, invT, 0.0);

        // Unit rows bound every logit by 1/tau: unless tau is tiny, exp needs no shift, which saves
        // a max pass and a subtraction pass over the [N, K] logits. The softmax is unchanged.
        INDArray shift;
        if (invT <= (p.type == DataType.DOUBLE ? 300 : 40)) {
            shift = p.zeroN.assign(0.0);
        } else {
            shift = Transforms.max(p.lneg.max(true, 1), lpos, false);
            p.lneg.subiColumnVector(shift);
        }
        FloatKernels.expRowSums(p.lneg, p.denom);
        INDArray shiftedPos = lpos.subi(shift);
        INDArray expPos = Transforms.exp(shiftedPos, true);
        INDArray denom = p.denom.addi(expPos);
        double value = (Transforms.log(denom, true).sumNumber().doubleValue()
                - shiftedPos.sumNumber().doubleValue()) / n;

        // dL/dlogits = (softmax - onehot(0)) / N with softmax = diag(1/denom) E; the row scaling is
        // applied to the [N, D] products instead of the [N, K] exponentials, and 1/N and 1/tau go
        // into the GEMM scale factors.
        INDArray gPos = expPos.divi(denom).subi(1.0);
        double alpha = invT / n;
        Nd4j.gemm(p.lneg, neg, p.q.grad, false, false, alpha, 0.0);
        p.q.grad.diviColumnVector(denom);
        p.tmpN.assign(p.k.rows).muliColumnVector(gPos).muli(alpha);
        p.q.grad.addi(p.tmpN);
        p.k.grad.assign(p.q.rows).muliColumnVector(gPos).muli(alpha);
        INDArray dq = p.q.backward(p.tmpN);
        INDArray dk = p.k.backward(p.tmpN);

        // The negatives' gradient costs as much as the forward GEMM and MoCo never uses it: it is
        // computed on request, from the exponentials still in lneg, while this call's buffers last.
        long call = ++calls;
        Supplier<INDArray> negativesGradient = () -> {
            if (call != calls) {
                throw new IllegalStateException("InfoNceLoss: the gradient w.r.t. negatives was requested after a"
                        + " later compute on the same instance overwrote the buffers it needs");
            }
            p.qScaled.assign(p.q.rows).diviColumnVector(denom);
            Nd4j.gemm(p.lneg, p.qScaled, p.neg.grad, true, false, alpha, 0.0);
            if (negativesNormalized) {
                // The normalizer's backward needs the normalized rows; here they are the caller's.
                p.neg.forward(negatives);
            }
            return p.neg.backward(p.tmpK);
        };
        return LossResult.lazy(value, Map.of(), List.of(() -> dq, () -> dk, negativesGradient));
    }

    private static final class Plan extends BufferPlan {
        final INDArray lneg;
        final INDArray tmpN;
        final INDArray tmpK;
        final INDArray qScaled;
        final INDArray denom;
        final INDArray zeroN;
        final NormalizedRows q = new NormalizedRows(this);
        final NormalizedRows k = new NormalizedRows(this);
        /** The negatives' rows, [K, D]. */
        final NormalizedRows neg = new NormalizedRows(this, m);

        /** @param negatives K, the number of negatives, the plan's third size */
        Plan(DataType type, int n, int d, int negatives) {
            super(type, n, d, negatives);
            lneg = buffer(n, negatives);
            tmpN = buffer(n, d);
            tmpK = buffer(negatives, d);
            qScaled = buffer(n, d);
            denom = buffer(n, 1);
            zeroN = buffer(n, 1);
        }
    }
}
