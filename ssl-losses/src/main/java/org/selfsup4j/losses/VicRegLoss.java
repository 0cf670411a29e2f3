package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * VICReg: variance-invariance-covariance regularization between two views' embeddings.
 *
 * <pre>
 *   inv   = (1 / (N D)) sum_{i,j} (z1_ij - z2_ij)^2
 *   for each branch Z:  Zc = Z - column means
 *                       s_j = sqrt( (1 / (N-1)) sum_i Zc_ij^2 + eps )
 *                       v(Z) = (1 / D) sum_j relu(1 - s_j)
 *                       C = Zc^T Zc / (N - 1),   c(Z) = (1 / D) sum_{j != k} C_jk^2
 *   var   = ( v(z1) + v(z2) ) / 2
 *   cov   = c(z1) + c(z2)
 *   L     = lambda * inv + mu * var + nu * cov
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
 * <p>Reduction: invariance is a mean over all N·D entries, the variance hinge a mean over the D
 * dimensions (averaged over the two branches), the covariance a sum over off-diagonal pairs
 * divided by D (summed over the two branches). The result's {@link LossResult#terms()} holds the
 * unweighted {@code invariance}, {@code variance} and {@code covariance} as defined above.
 * Also known as: variance-invariance-covariance regularization.
 * Paper: A. Bardes, J. Ponce, Y. LeCun, "VICReg: Variance-Invariance-Covariance Regularization for
 * Self-Supervised Learning", ICLR 2022.
 *
 * <p>Deviations: follows the authors' official code ({@code facebookresearch/vicreg},
 * {@code main_vicreg.py}), which averages the two branches' variance terms ({@code / 2}); the
 * paper's equation sums them, so with the same {@code mu} this loss's variance weight is half the
 * paper's. At {@code s_j = 1} exactly the hinge's gradient is taken as 0 (PyTorch's relu). A
 * zero-variance column has {@code s_j = sqrt(eps)}: finite value and gradient (0 for that column).
 * Buffers ({@code [N, D]} centred copy and gradients, and the {@code [D, D]} covariance, or when
 * {@code N < D} the {@code [N, N]} Gram matrix {@code Zc Zc^T} which gives the same value and
 * gradient with D/N times fewer flops) are kept between calls; gradients are valid until the next
 * {@code compute} on this instance.
 */
public final class VicRegLoss implements TwoViewLoss {
    /** The paper's invariance weight (lambda). */
    public static final double DEFAULT_LAMBDA = 25.0;
    /** The paper's variance weight (mu). */
    public static final double DEFAULT_MU = 25.0;
    /** The paper's covariance weight (nu). */
    public static final double DEFAULT_NU = 1.0;
    /** The official code's epsilon under the square root of the variance. */
    public static final double DEFAULT_EPS = 1e-4;

    private static final String WHERE = "VicRegLoss.compute";

    /**
     * The loss's hyper-parameters, checked once here: three weights and an epsilon that only make sense
     * together (the weights set the terms' balance), so they are one value that a caller can keep, compare
     * and report.
     *
     * @param lambda invariance weight, &ge; 0
     * @param mu variance weight, &ge; 0
     * @param nu covariance weight, &ge; 0
     * @param eps added to each variance under the square root, &gt; 0
     */
    public record Config(double lambda, double mu, double nu, double eps) {
        /** The paper's weights 25, 25, 1 and the official code's eps 1e-4. */
        public static final Config PAPER = new Config(DEFAULT_LAMBDA, DEFAULT_MU, DEFAULT_NU, DEFAULT_EPS);

        /** Checks each value. */
        public Config {
            Checks.nonNegative("VicRegLoss", "lambda", lambda);
            Checks.nonNegative("VicRegLoss", "mu", mu);
            Checks.nonNegative("VicRegLoss", "nu", nu);
            Checks.positive("VicRegLoss", "eps", eps);
        }
    }

    private final Config config;
    private final BufferPlan.Cache<Plan> plans = new BufferPlan.Cache<>(Plan::new);

    /** With {@link Config#PAPER}. */
    public VicRegLoss() {
        this.config = Config.PAPER;
    }

    /**
     * @param lambda invariance weight, &ge; 0
     * @param mu variance weight, &ge; 0
     * @param nu covariance weight, &ge; 0
     * @param eps added to each variance under the square root, &gt; 0
     */
    public VicRegLoss(double lambda, double mu, double nu, double eps) {
        this.config = new Config(lambda, mu, nu, eps);
    }

    /** The weights and epsilon. */
    public Config config() {
        return config;
    }

    /**
     * The loss and its gradients with respect to {@code z1} (index 0) and {@code z2} (index 1);
     * terms {@code invariance}, {@code variance}, {@code covariance} (unweighted).
     *
     * @throws IllegalArgumentException if the arguments are not rank 2, differ in shape or type,
     *         or have fewer than 2 rows (no unbiased variance)
     */
    @Override
    public LossResult compute(INDArray z1, INDArray z2) {
        Plan p = plans.forPair(WHERE, "z1", z1, "z2", z2, 2, "the unbiased variance needs N >= 2");
        int n = p.n;
        int d = p.d;

        p.g1.assign(z1).subi(z2);
        double diffNorm = p.g1.norm2Number().doubleValue();
        double inv = diffNorm * diffNorm / ((double) n * d);
        p.g1.muli(2.0 * config.lambda() / ((double) n * d));
        p.g2.assign(p.g1).negi();

        double[] b1 = branch(p, z1, p.g1, n, d);
        double[] b2 = branch(p, z2, p.g2, n, d);
        double var = (b1[0] + b2[0]) / 2;
        double cov = b1[1] + b2[1];
        double value = config.lambda() * inv + config.mu() * var + config.nu() * cov;
        return new LossResult(value, Map.of("invariance", inv, "variance", var, "covariance", cov), p.g1, p.g2);
    }

    /** Adds one branch's variance and covariance gradients to {@code g}; returns {v(Z), c(Z)}. */
    private double[] branch(Plan p, INDArray z, INDArray g, int n, int d) {
        BatchStatistics.center(p.zc.assign(z));
        double[] variances;
        double offSquares;
        if (p.gram) {
            // N < D: sum_{jk} C_jk^2 = ||Zc Zc^T||^2 / (N-1)^2 and Zc C = (Zc Zc^T) Zc / (N-1), so an
            // [N, N] Gram matrix replaces the [D, D] covariance (D/N times fewer flops). C has rank
            // < N < D, so its off-diagonal mass dominates and the subtraction below loses nothing.
            Nd4j.gemm(p.zc, p.zc, p.c, false, true, 1.0 / (n - 1), 0.0);
            variances = p.tmp.assign(p.zc).muli(p.zc).sum(true, 0).divi(n - 1).toDoubleVector();
            double total = p.c.norm2Number().doubleValue();
            double diagSquares = 0;
            for (double v : variances) {
                diagSquares += v * v;
            }
            offSquares = Math.max(0, total * total - diagSquares);
        } else {
            Nd4j.gemm(p.zc, p.zc, p.c, true, false, 1.0 / (n - 1), 0.0);
            variances = p.diag.toDoubleVector();
            p.diag.assign(0.0);
            double offNorm = p.c.norm2Number().doubleValue();
            offSquares = offNorm * offNorm;
        }

        double hinge = 0;
        double covScale = 4.0 * config.nu() / ((double) d * (n - 1));
        double[] coef = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(variances[j] + config.eps());
            if (1 - s > 0) {
                hinge += 1 - s;
                coef[j] = -config.mu() / (2.0 * d * (n - 1) * s);
            }
        }
        if (p.gram) {
            // dZ += covScale (K Zc - Zc diag(var)) + Zc diag(coef)
            for (int j = 0; j < d; j++) {
                coef[j] -= covScale * variances[j];
            }
            p.tmp.assign(p.zc).muliRowVector(Nd4j.createFromArray(coef).castTo(p.type).reshape(1, d));
            g.addi(p.tmp);
            Nd4j.gemm(p.c, p.zc, g, false, false, covScale, 1.0);
        } else {
            // One GEMM for both terms: dZ += Zc M, M = covScale C_off + diag(coef).
            p.c.muli(covScale);
            p.diag.assign(Nd4j.createFromArray(coef).castTo(p.type));
            Nd4j.gemm(p.zc, p.c, g, false, false, 1.0, 1.0);
        }
        return new double[] {hinge / d, offSquares / d};
    }

    /**
     * The invariance term alone: the mean squared error over all N·D entries. Allocates; meant for
     * logging and tests, not the training hot path.
     */
    public double invariance(INDArray z1, INDArray z2) {
        Checks.matrix("VicRegLoss.invariance", "z1", z1);
        Checks.matrix("VicRegLoss.invariance", "z2", z2);
        Checks.sameShape("VicRegLoss.invariance", "z1", z1, "z2", z2);
        INDArray diff = z1.castTo(DataType.DOUBLE).sub(z2.castTo(DataType.DOUBLE));
        double norm = diff.norm2Number().doubleValue();
        return norm * norm / diff.length();
    }

    /**
     * One branch's variance hinge {@code (1/D) sum_j relu(1 - sqrt(var_j + eps))} with the unbiased
     * variance; {@link #compute} averages it over the two branches. Allocates.
     */
    public double variance(INDArray z) {
        Checks.matrix("VicRegLoss.variance", "z", z);
        Checks.minRows("VicRegLoss.variance", "z", z, 2, "the unbiased variance needs N >= 2");
        double[] var = z.castTo(DataType.DOUBLE).var(true, 0).toDoubleVector();
        double sum = 0;
        for (double v : var) {
            sum += Math.max(0, 1 - Math.sqrt(v + config.eps()));
        }
        return sum / var.length;
    }

    /**
     * One branch's covariance term {@code (1/D) sum_{j != k} C_jk^2}, {@code C = Zc^T Zc / (N-1)};
     * {@link #compute} sums it over the two branches. Allocates.
     */
    public double covariance(INDArray z) {
        Checks.matrix("VicRegLoss.covariance", "z", z);
        Checks.minRows("VicRegLoss.covariance", "z", z, 2, "the unbiased covariance needs N >= 2");
        INDArray zc = BatchStatistics.center(z.castTo(DataType.DOUBLE).dup());
        INDArray c = zc.transpose().mmul(zc).divi(z.size(0) - 1);
        double sum = 0;
        long d = c.size(0);
        for (long j = 0; j < d; j++) {
            for (long k = 0; k < d; k++) {
                if (j != k) {
                    double v = c.getDouble(j, k);
                    sum += v * v;
                }
            }
        }
        return sum / d;
    }

    private static final class Plan extends BufferPlan {
        final boolean gram;
        final INDArray zc;
        final INDArray c;
        final INDArray diag;
        final INDArray tmp;
        final INDArray g1;
        final INDArray g2;

        Plan(DataType type, int n, int d) {
            super(type, n, d);
            gram = n < d;
            zc = buffer(n, d);
            if (gram) {
                c = buffer(n, n);
                diag = null;
                tmp = buffer(n, d);
            } else {
                c = buffer(d, d);
                diag = BatchStatistics.diagonal(c);
                tmp = null;
            }
            g1 = buffer(n, d);
            g2 = buffer(n, d);
        }
    }
}
