package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * BYOL's regression loss: the squared distance between L2-normalized prediction and target.
 *
 * <pre>
 *   u_i = p_i / max(||p_i||, 1e-12),   v_i = z_i / max(||z_i||, 1e-12)
 *   L   = (1 / N) sum_i ||u_i - v_i||^2 = (1 / N) sum_i (2 - 2 u_i . v_i)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>p (index 0), online prediction</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>z (index 1), target projection</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>value</td><td>scalar in [0, 4]</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: mean over the N rows, for one direction; BYOL symmetrizes by adding the loss with
 * the views swapped (call twice). Also known as: normalized MSE, negative cosine similarity
 * (shifted and scaled), SimSiam's loss up to {@code 2 - 2x}.
 * Paper: J.-B. Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised
 * Learning", NeurIPS 2020.
 *
 * <p>Deviations: none. The target's gradient (index 1) is returned too; BYOL stops it, so a trainer
 * ignores it. Gradients are valid until the next {@code compute} on this instance.
 */
public final class ByolLoss implements TwoViewLoss {
    private static final String WHERE = "ByolLoss.compute";

    private final BufferPlan.Cache<Plan> plans = new BufferPlan.Cache<>(Plan::new);

    /** BYOL's loss has no hyper-parameters. */
    public ByolLoss() {
    }

    /**
     * The loss and its gradients with respect to {@code p} (index 0) and {@code z} (index 1).
     *
     * @throws IllegalArgumentException if the arguments are not rank 2 or differ in shape or type
     */
    @Override
    public LossResult compute(INDArray p, INDArray z) {
        Plan b = plans.forPair(WHERE, "p", p, "z", z);
        int n = b.n;

        // Float32 with the Vector API: one fused pass per row (norms, dot, both gradients) instead
        // of some twenty ND4J ops, each of which costs more than the arithmetic at these sizes.
        double fused = FloatKernels.byol(p, z, b.p.grad, b.z.grad, RowL2Normalizer.EPS);
        if (!Double.isNaN(fused)) {
            return new LossResult(2.0 - 2.0 * fused / n, Map.of(), b.p.grad, b.z.grad);
        }
        // Copied into the plan's contiguous rows and normalized there in place, so the vectorized
        // normalizer runs whatever the inputs' layout.
        b.p.rows.assign(p);
        b.p.forward(b.p.rows);
        b.z.rows.assign(z);
        b.z.forward(b.z.rows);
        double cosSum = b.tmp.assign(b.p.rows).muli(b.z.rows).sumNumber().doubleValue();
        double value = 2.0 - 2.0 * cosSum / n;

        b.p.grad.assign(b.z.rows).muli(-2.0 / n);
        b.z.grad.assign(b.p.rows).muli(-2.0 / n);
        b.p.backward(b.tmp);
        b.z.backward(b.tmp);
        return new LossResult(value, Map.of(), b.p.grad, b.z.grad);
    }

    private static final class Plan extends BufferPlan {
        final INDArray tmp;
        final NormalizedRows p = new NormalizedRows(this);
        final NormalizedRows z = new NormalizedRows(this);

        Plan(DataType type, int n, int d) {
            super(type, n, d);
            tmp = buffer(n, d);
        }
    }
}
