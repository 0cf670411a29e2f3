package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * SimSiam's symmetrized negative cosine similarity between each view's prediction and the other
 * view's projection, the projection under stop-gradient.
 *
 * <pre>
 *   D(p, z) = -(1 / N) sum_i p_i . z_i / (max(||p_i||, 1e-12) max(||z_i||, 1e-12))
 *   L       = D(p_1, stopgrad(z_2)) / 2 + D(p_2, stopgrad(z_1)) / 2                 (in [-1, 1])
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>p1 (index 0), predictor output of view 1</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>p2 (index 1), predictor output of view 2</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>z1, projector output of view 1</td><td>[N, D]</td><td>none (stop-gradient)</td></tr>
 *   <tr><td>z2, projector output of view 2</td><td>[N, D]</td><td>none (stop-gradient)</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>The symmetric form is the kernel's (the paper's Eq. 2, {@code L = D(p1, z2)/2 + D(p2, z1)/2}),
 * so the result has two gradients, for p1 and p2: stop-gradient is the method, not an option
 * (the paper's Figure 2: without it the representation collapses), so the projections get none.
 * Paper: X. Chen, K. He, "Exploring Simple Siamese Representation Learning", CVPR 2021; reference:
 * facebookresearch/simsiam {@code main_simsiam.py} ({@code criterion = nn.CosineSimilarity(dim=1)},
 * {@code loss = -(criterion(p1, z2).mean() + criterion(p2, z1).mean()) * 0.5}).
 *
 * <p>Implementation: {@code D(p, z) = (BYOL(p, z) - 2) / 2}, so each half is a {@link ByolLoss}
 * call (its fused float32 kernel) with its p-gradient scaled by 1/4. Deviation: the norms are
 * floored at 1e-12 ({@code F.normalize}'s eps) where {@code nn.CosineSimilarity} floors the
 * product of the norms at 1e-8: the same value unless a row's norm is below about 1e-4. Gradients
 * are valid until the next {@code compute} on this instance.
 */
public final class SimSiamLoss {
    private static final String WHERE = "SimSiamLoss.compute";

    private final ByolLoss half12 = new ByolLoss();
    private final ByolLoss half21 = new ByolLoss();

    /** SimSiam's loss has no hyper-parameters. */
    public SimSiamLoss() {
    }

    /**
     * The loss and its gradients with respect to {@code p1} (index 0) and {@code p2} (index 1).
     *
     * @throws IllegalArgumentException if an argument is not a non-empty rank-2 float matrix, or
     *         the four differ in shape or data type
     */
    public LossResult compute(INDArray p1, INDArray p2, INDArray z1, INDArray z2) {
        Checks.matrixPair(WHERE, "p1", p1, "z2", z2);
        Checks.matrixPair(WHERE, "p2", p2, "z1", z1);
        Checks.sameShape(WHERE, "p1", p1, "p2", p2);
        Checks.sameType(WHERE, "p1", p1, "p2", p2);
        LossResult r12 = half12.compute(p1, z2);
        LossResult r21 = half21.compute(p2, z1);
        // L = (BYOL12 - 2) / 4 + (BYOL21 - 2) / 4
        double value = 0.25 * (r12.value() + r21.value()) - 1.0;
        return new LossResult(value, Map.of(), r12.gradient(0).muli(0.25), r21.gradient(0).muli(0.25));
    }
}
