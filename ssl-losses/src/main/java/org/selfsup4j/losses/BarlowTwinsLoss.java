package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * Barlow Twins: drives the cross-correlation matrix of two views' standardized embeddings to the
 * identity.
 *
 * <pre>
 *   zn_ij = (z_ij - mean_i z_ij) / sqrt(var_j + 1e-5)     per view; var_j biased (divides by N)
 *   c     = z1n^T z2n / N                                 [D, D]
 *   L     = sum_i (1 - c_ii)^2 + lambda * sum_{i != j} c_ij^2
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>z1 (index 0)</td><td>[N, D], N &ge; 2</td><td>[N, D]</td></tr>
 *   <tr><td>z2 (index 1)</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: sums over the D x D entries of the cross-correlation (no mean; the value grows
 * with D). {@link LossResult#terms()} holds {@code onDiagonal} and {@code offDiagonal} (unweighted).
 * Also known as: redundancy-reduction loss, the Barlow Twins objective.
 * Paper: J. Zbontar, L. Jing, I. Misra, Y. LeCun, S. Deny, "Barlow Twins: Self-Supervised Learning
 * via Redundancy Reduction", ICML 2021.
 *
 * <p>Deviations: none from the official code ({@code facebookresearch/barlowtwins}), whose
 * standardization is {@code BatchNorm1d(affine=False)} in training mode (biased variance, eps
 * 1e-5); its gradient flows through the batch statistics here too. Buffers ({@code [N, D]}
 * standardized copies and gradients, and the {@code [D, D]} cross-correlation, or when {@code N < D}
 * two {@code [N, N]} Gram matrices that give the same value and gradient with fewer flops) are kept
 * between calls; gradients are valid until the next {@code compute} on this instance.
 */
public final class BarlowTwinsLoss implements TwoViewLoss {
    /** The paper's weight of the off-diagonal (redundancy) term. */
    public static final double DEFAULT_LAMBDA = 0.0051;
    /** BatchNorm1d's default epsilon, as in the official code. */
    public static final double BATCH_NORM_EPS = 1e-5;

    private static final String WHERE = "BarlowTwinsLoss.compute";

    private final double lambda;
    private final BufferPlan.Cache<Plan> plans = new BufferPlan.Cache<>(Plan::new);

    /** @param lambda weight of the off-diagonal term, &ge; 0 */
    public BarlowTwinsLoss(double lambda) {
        this.lambda = Checks.nonNegative("BarlowTwinsLoss", "lambda", lambda);
    }

    /** The off-diagonal weight. */
    public double lambda() {
        return lambda;
    }

    /**
     * The loss and its gradients with respect to {@code z1} (index 0) and {@code z2} (index 1).
     *
     * @throws IllegalArgumentException if the arguments are not rank 2, differ in shape or type,
     *         or have fewer than 2 rows (batch statistics need N &ge; 2)
     */
    @Override
    public LossResult compute(INDArray z1, INDArray z2) {
        Plan p = plans.forPair(WHERE, "z1", z1, "z2", z2, 2, "batch statistics need N >= 2");
        int n = p.n;
        int d = p.d;

        INDArray sigma1 = standardize(p, z1, p.a);
        INDArray sigma2 = standardize(p, z2, p.b);
        double on;
        double off;
        if (p.gram) {
            // N < D: ||c||^2 = sum(AA^T o BB^T) / N^2 and c's gradient terms B c^T = B B^T A / N,
            // A c = A A^T B / N, so [N, N] Gram matrices replace the [D, D] cross-correlation.
            // c has rank < N < D, so its off-diagonal mass dominates and the subtraction loses nothing.
            double[] diag = p.tmp.assign(p.a).muli(p.b).sum(true, 0).divi(n).toDoubleVector();
            Nd4j.gemm(p.a, p.a, p.ka, false, true, 1.0, 0.0);
            Nd4j.gemm(p.b, p.b, p.kb, false, true, 1.0, 0.0);
            double total = p.kk.assign(p.ka).muli(p.kb).sumNumber().doubleValue() / ((double) n * n);
            on = 0;
            double diagSquares = 0;
            double[] delta = new double[d];
            for (int i = 0; i < d; i++) {
                on += (1 - diag[i]) * (1 - diag[i]);
                diagSquares += diag[i] * diag[i];
                delta[i] = (2 * (diag[i] - 1) - 2 * lambda * diag[i]) / n;
            }
            off = Math.max(0, total - diagSquares);
            // dA = 2 lambda Kb A / N^2 + B diag(delta); dB = 2 lambda Ka B / N^2 + A diag(delta)
            INDArray deltaRow = Nd4j.createFromArray(delta).castTo(p.type).reshape(1, d);
            p.da.assign(p.b).muliRowVector(deltaRow);
            Nd4j.gemm(p.kb, p.a, p.da, false, false, 2 * lambda / ((double) n * n), 1.0);
            p.db.assign(p.a).muliRowVector(deltaRow);
            Nd4j.gemm(p.ka, p.b, p.db, false, false, 2 * lambda / ((double) n * n), 1.0);
        } else {
            Nd4j.gemm(p.a, p.b, p.c, true, false, 1.0 / n, 0.0);
            double[] diag = p.diag.toDoubleVector();
            on = 0;
            double[] gDiag = new double[d];
            for (int i = 0; i < d; i++) {
                on += (1 - diag[i]) * (1 - diag[i]);
                gDiag[i] = 2 * (diag[i] - 1);
            }
            p.diag.assign(0.0);
            double offNorm = p.c.norm2Number().doubleValue();
            off = offNorm * offNorm;
            // dL/dc = 2 lambda c off the diagonal, 2 (c_ii - 1) on it; c = A^T B / N.
            p.c.muli(2 * lambda);
            p.diag.assign(Nd4j.createFromArray(gDiag).castTo(p.type));
            Nd4j.gemm(p.b, p.c, p.da, false, true, 1.0 / n, 0.0);
            Nd4j.gemm(p.a, p.c, p.db, false, false, 1.0 / n, 0.0);
        }
        double value = on + lambda * off;
        standardizeBackward(p, p.a, sigma1, p.da);
        standardizeBackward(p, p.b, sigma2, p.db);
        return new LossResult(value, Map.of("onDiagonal", on, "offDiagonal", off), p.da, p.db);
    }

    /** Writes the standardized {@code z} into {@code out}; returns sigma [1, D]. */
    private static INDArray standardize(Plan p, INDArray z, INDArray out) {
        return BatchStatistics.standardize(out.assign(z), BATCH_NORM_EPS, p.tmp);
    }

    /** BatchNorm's backward in place: {@code g <- (g - mean(g) - xh * mean(g * xh)) / sigma} per column. */
    private static void standardizeBackward(Plan p, INDArray xh, INDArray sigma, INDArray g) {
        INDArray meanG = g.mean(true, 0);
        INDArray meanGx = p.tmp.assign(g).muli(xh).mean(true, 0);
        p.tmp.assign(xh).muliRowVector(meanGx);
        g.subiRowVector(meanG).subi(p.tmp).diviRowVector(sigma);
    }

    /**
     * The cross-correlation matrix {@code c} [D, D] of two views as defined above, as a new float64
     * array (for diagnostics; allocates).
     */
    public static INDArray crossCorrelation(INDArray z1, INDArray z2) {
        String where = "BarlowTwinsLoss.crossCorrelation";
        Checks.matrix(where, "z1", z1);
        Checks.matrix(where, "z2", z2);
        Checks.sameShape(where, "z1", z1, "z2", z2);
        Checks.minRows(where, "z1", z1, 2, "batch statistics need N >= 2");
        INDArray a = z1.castTo(DataType.DOUBLE).dup();
        INDArray b = z2.castTo(DataType.DOUBLE).dup();
        INDArray scratch = Nd4j.createUninitialized(DataType.DOUBLE, a.shape());
        BatchStatistics.standardize(a, BATCH_NORM_EPS, scratch);
        BatchStatistics.standardize(b, BATCH_NORM_EPS, scratch);
        return a.transpose().mmul(b).divi(z1.size(0));
    }

    private static final class Plan extends BufferPlan {
        final boolean gram;
        final INDArray a;
        final INDArray b;
        final INDArray c;
        final INDArray diag;
        final INDArray ka;
        final INDArray kb;
        final INDArray kk;
        final INDArray da;
        final INDArray db;
        final INDArray tmp;

        Plan(DataType type, int n, int d) {
            super(type, n, d);
            gram = n < d;
            a = buffer(n, d);
            b = buffer(n, d);
            if (gram) {
                c = null;
                diag = null;
                ka = buffer(n, n);
                kb = buffer(n, n);
                kk = buffer(n, n);
            } else {
                c = buffer(d, d);
                diag = BatchStatistics.diagonal(c);
                ka = null;
                kb = null;
                kk = null;
            }
            da = buffer(n, d);
            db = buffer(n, d);
            tmp = buffer(n, d);
        }
    }
}
