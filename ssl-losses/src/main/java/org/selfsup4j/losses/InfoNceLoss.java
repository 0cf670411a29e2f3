package org.selfsup4j.losses;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * stores normalized keys; normalizing an already unit row is a no-op up to rounding). Gradients are
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
    private Plan plan;
    private long calls;

    /** With {@link #DEFAULT_TEMPERATURE}. */
    public InfoNceLoss() {
        this(DEFAULT_TEMPERATURE);
    }

    /** @param temperature tau &gt; 0 */
    public InfoNceLoss(double temperature) {
        this.temperature = Validate.positive("InfoNceLoss", "temperature", temperature);
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
        Validate.matrix(WHERE, "q", q);
        Validate.matrix(WHERE, "k", k);
        Validate.matrix(WHERE, "negatives", negatives);
        Validate.sameShape(WHERE, "q", q, "k", k);
        if (negatives.size(1) != q.size(1)) {
            throw new IllegalArgumentException(WHERE + ": negatives must be [K, " + q.size(1) + "] to match q's D, got "
                    + java.util.Arrays.toString(negatives.shape()));
        }
        Validate.sameType(WHERE, "q", q, "k", k);
        Validate.sameType(WHERE, "q", q, "negatives", negatives);
        int n = Validate.intSize(WHERE, "N", q.size(0));
        int d = Validate.intSize(WHERE, "D", q.size(1));
        int kk = Validate.intSize(WHERE, "K", negatives.size(0));
        Plan p = plan(q.dataType(), n, kk, d);
        double invT = 1.0 / temperature;

        p.q.assign(q);
        p.qNorm.forward(p.q);
        p.k2.assign(k);
        p.kNorm.forward(p.k2);
        p.neg.assign(negatives);
        p.negNorm.forward(p.neg);

        p.tmpN.assign(p.q).muli(p.k2);
        INDArray lpos = p.tmpN.sum(true, 1).muli(invT);
        Nd4j.gemm(p.q, p.neg, p.lneg, false, true, invT, 0.0);

        INDArray rowMax = Transforms.max(p.lneg.max(true, 1), lpos, false);
        p.lneg.subiColumnVector(rowMax);
        Transforms.exp(p.lneg, false);
        INDArray shiftedPos = lpos.subi(rowMax);
        INDArray expPos = Transforms.exp(shiftedPos, true);
        INDArray denom = p.lneg.sum(true, 1).addi(expPos);
        double value = (Transforms.log(denom, true).sumNumber().doubleValue()
                - shiftedPos.sumNumber().doubleValue()) / n;

        // dL/dlogits = (softmax - onehot(0)) / N; the 1/N and 1/tau go into the GEMM scale factors.
        p.lneg.diviColumnVector(denom);
        INDArray gPos = expPos.divi(denom).subi(1.0);
        double alpha = invT / n;
        p.dq.assign(p.k2).muliColumnVector(gPos);
        Nd4j.gemm(p.lneg, p.neg, p.dq, false, false, alpha, alpha);
        p.dk.assign(p.q).muliColumnVector(gPos).muli(alpha);
        p.qNorm.backward(p.q, p.dq, p.tmpN);
        p.kNorm.backward(p.k2, p.dk, p.tmpN);

        // The negatives' gradient costs as much as the forward GEMM and MoCo never uses it: it is
        // computed on request, from the probabilities still in lneg, while this call's buffers last.
        long call = ++calls;
        Supplier<INDArray> negativesGradient = () -> {
            if (call != calls) {
                throw new IllegalStateException("InfoNceLoss: the gradient w.r.t. negatives was requested after a"
                        + " later compute on the same instance overwrote the buffers it needs");
            }
            Nd4j.gemm(p.lneg, p.q, p.dneg, true, false, alpha, 0.0);
            p.negNorm.backward(p.neg, p.dneg, p.tmpK);
            return p.dneg;
        };
        INDArray dq = p.dq;
        INDArray dk = p.dk;
        return LossResult.lazy(value, Map.of(), List.of(() -> dq, () -> dk, negativesGradient));
    }

    private Plan plan(DataType type, int n, int k, int d) {
        if (plan == null || plan.type != type || plan.n != n || plan.k != k || plan.d != d) {
            plan = new Plan(type, n, k, d);
        }
        return plan;
    }

    private static final class Plan {
        final DataType type;
        final int n;
        final int k;
        final int d;
        final INDArray q;
        final INDArray k2;
        final INDArray neg;
        final INDArray lneg;
        final INDArray dq;
        final INDArray dk;
        final INDArray dneg;
        final INDArray tmpN;
        final INDArray tmpK;
        final RowNormalizer qNorm = new RowNormalizer();
        final RowNormalizer kNorm = new RowNormalizer();
        final RowNormalizer negNorm = new RowNormalizer();

        Plan(DataType type, int n, int k, int d) {
            this.type = type;
            this.n = n;
            this.k = k;
            this.d = d;
            q = Nd4j.createUninitialized(type, n, d);
            k2 = Nd4j.createUninitialized(type, n, d);
            neg = Nd4j.createUninitialized(type, k, d);
            lneg = Nd4j.createUninitialized(type, n, k);
            dq = Nd4j.createUninitialized(type, n, d);
            dk = Nd4j.createUninitialized(type, n, d);
            dneg = Nd4j.createUninitialized(type, k, d);
            tmpN = Nd4j.createUninitialized(type, n, d);
            tmpK = Nd4j.createUninitialized(type, k, d);
        }
    }
}
