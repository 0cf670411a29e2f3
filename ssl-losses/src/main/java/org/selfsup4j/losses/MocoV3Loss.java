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
 * MoCo v3's contrastive loss: each query against every key of the batch, its own key the positive,
 * the other N - 1 keys its negatives (no queue), scaled by {@code 2 tau}.
 *
 * <pre>
 *   u_i = q_i / max(||q_i||, 1e-12),   w_j = k_j / max(||k_j||, 1e-12)
 *   s_ij = u_i . w_j / tau
 *   ctr(q, k) = 2 tau (1 / N) sum_i [ -s_ii + log sum_j exp(s_ij) ]      (CE with labels i, times 2 tau)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>q (index 0), queries of the online encoder's predictor</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>k (index 1), keys of the momentum encoder</td><td>[N, D]</td><td>[N, D], lazy</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: mean over the N queries, times {@code 2 tau} (the reference's
 * {@code nn.CrossEntropyLoss()(logits, labels) * (2 * self.T)}, which makes the gradient's scale
 * independent of tau). One call is one direction: MoCo v3's loss is
 * {@code ctr(q_1, k_2) + ctr(q_2, k_1)}, two calls (two instances, as the gradients are buffers)
 * summed by the objective, the way BYOL's symmetric loss is. Paper: X. Chen, S. Xie, K. He, "An
 * Empirical Study of Training Self-Supervised Vision Transformers", ICCV 2021; reference:
 * facebookresearch/moco-v3 {@code moco/builder.py} ({@code contrastive_loss}, {@code moco_t}).
 *
 * <p>Deviations: q and k are normalized here, as the reference does in {@code contrastive_loss};
 * single device (the reference gathers keys over all devices, so its negatives are the global batch's
 * and its labels offset by the rank). The keys' gradient, which MoCo v3 stops, is computed lazily on
 * the first {@code gradient(1)} call and must be requested before the next {@code compute}.
 * Buffers ({@code [N, N]} logits, normalized rows, gradients) are kept between calls; gradients are
 * valid until the next {@code compute} on this instance.
 */
public final class MocoV3Loss {
    /** The temperature of MoCo v3's ViT recipes ({@code --moco-t=.2}); the default here. */
    public static final double VIT_TEMPERATURE = 0.2;
    /** The temperature of MoCo v3's ResNet-50 recipes ({@code --moco-t} default 1.0). */
    public static final double RESNET_TEMPERATURE = 1.0;
    /** The default, {@link #VIT_TEMPERATURE}. */
    public static final double DEFAULT_TEMPERATURE = VIT_TEMPERATURE;

    private static final String WHERE = "MocoV3Loss.compute";

    private final double temperature;
    private final BufferPlan.Cache<Plan> plans = new BufferPlan.Cache<>(Plan::new);
    private long calls;

    /** With {@link #DEFAULT_TEMPERATURE}. */
    public MocoV3Loss() {
        this(DEFAULT_TEMPERATURE);
    }

    /** @param temperature tau &gt; 0 */
    public MocoV3Loss(double temperature) {
        this.temperature = Checks.positive("MocoV3Loss", "temperature", temperature);
    }

    /** The temperature tau. */
    public double temperature() {
        return temperature;
    }

    /**
     * {@code ctr(q, k)} and its gradients with respect to {@code q} (0) and {@code k} (1, lazy).
     *
     * @throws IllegalArgumentException if the arguments are not rank 2, differ in shape or data type
     */
    public LossResult compute(INDArray q, INDArray k) {
        Plan p = plans.forPair(WHERE, "q", q, "k", k);
        int n = p.n;
        double invT = 1.0 / temperature;
        p.q.forward(q);
        p.k.forward(k);
        double positives = Nd4j.getBlasWrapper().dot(p.qFlat, p.kFlat) * invT;
        Nd4j.gemm(p.q.rows, p.k.rows, p.e, false, true, invT, 0.0);
        // Unit rows bound every logit by 1/tau: unless tau is tiny, exp needs no shift (one pass less).
        double shifts = 0;
        if (invT > (p.type == DataType.DOUBLE ? 300 : 40)) {
            p.rowMax.assign(p.e.max(true, 1));
            p.e.subiColumnVector(p.rowMax);
            shifts = p.rowMax.sumNumber().doubleValue();
        }
        FloatKernels.expRowSums(p.e, p.rowSum);
        double logSums = Transforms.log(p.logRowSum.assign(p.rowSum), false)
                .sumNumber().doubleValue();
        double scale = 2.0 * temperature;
        double value = scale * (logSums + shifts - positives) / n;

        // dL/ds = (2 tau / N)(diag(1/r) E - I), s = u w^T / tau (u, w: the rows of p.q, p.k):
        // dL/du = (2 / N)(diag(1/r) E w - w),  dL/dw = (2 / N)(E^T diag(1/r) u - u).
        double alpha = 2.0 / n;
        Nd4j.gemm(p.e, p.k.rows, p.q.grad, false, false, alpha, 0.0);
        p.q.grad.diviColumnVector(p.rowSum);
        Nd4j.getBlasWrapper().level1().axpy(p.dqFlat.length(), -alpha, p.kFlat, p.dqFlat);
        p.q.backward(p.tmp);

        long call = ++calls;
        Supplier<INDArray> keyGradient = () -> {
            Checks.state(call == calls, "MocoV3Loss", "the gradient w.r.t. k was requested after a later compute"
                    + " on the same instance overwrote the buffers it needs");
            p.tmp.assign(p.q.rows).diviColumnVector(p.rowSum);
            Nd4j.gemm(p.e, p.tmp, p.k.grad, true, false, alpha, 0.0);
            Nd4j.getBlasWrapper().level1().axpy(p.dkFlat.length(), -alpha, p.qFlat, p.dkFlat);
            return p.k.backward(p.tmp);
        };
        INDArray du = p.q.grad;
        return LossResult.lazy(value, Map.of(), List.of(() -> du, keyGradient));
    }

    private static final class Plan extends BufferPlan {
        final INDArray qFlat;
        final INDArray kFlat;
        final INDArray e;
        final INDArray dqFlat;
        final INDArray dkFlat;
        final INDArray tmp;
        final INDArray rowMax;
        final INDArray rowSum;
        final INDArray logRowSum;
        final NormalizedRows q = new NormalizedRows(this);
        final NormalizedRows k = new NormalizedRows(this);

        Plan(DataType type, int n, int d) {
            super(type, n, d);
            long nd = (long) n * d;
            qFlat = q.rows.reshape(nd);
            kFlat = k.rows.reshape(nd);
            e = buffer(n, n);
            dqFlat = q.grad.reshape(nd);
            dkFlat = k.grad.reshape(nd);
            tmp = buffer(n, d);
            rowMax = buffer(n, 1);
            rowSum = buffer(n, 1);
            logRowSum = buffer(n, 1);
        }
    }
}
