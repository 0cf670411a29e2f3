package org.selfsup4j.vision.methods;

import org.selfsup4j.losses.VicRegLoss;
import org.selfsup4j.losses.objective.VicRegObjective;

/**
 * VICReg (Bardes, Ponce, LeCun, "VICReg: Variance-Invariance-Covariance Regularization", ICLR 2022):
 * backbone + 3-layer expander, invariance + variance + covariance terms.
 *
 * <p>Paper defaults: coefficients 25 / 25 / 1 ({@link #LAMBDA}, {@link #MU}, {@link #NU}), expander
 * 8192-8192-8192, LARS, BYOL's asymmetric views. Here: expander {@link #DEFAULT_DIM} wide, Adam, and the
 * paper's views ({@link ViewRecipe#VICREG}).
 */
public final class VicReg {
    /** Invariance coefficient. */
    public static final double LAMBDA = VicRegLoss.DEFAULT_LAMBDA;
    /** Variance coefficient. */
    public static final double MU = VicRegLoss.DEFAULT_MU;
    /** Covariance coefficient. */
    public static final double NU = VicRegLoss.DEFAULT_NU;
    /** Expander width used here (paper: 8192). */
    public static final int DEFAULT_DIM = 1024;

    private VicReg() {
    }

    /**
     * @param cfg backbone, size, run length, widths ({@code hidden} sets the expander width)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg) {
        return assemble(cfg, MethodOptions.defaults("vicreg"));
    }

    /**
     * @param cfg backbone, size, run length, widths ({@code hidden} sets the expander width)
     * @param options views, optimizer and the invariance / variance / covariance weights
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        VicRegObjective objective = new VicRegObjective(new VicRegLoss(options.vicregSim(), options.vicregVar(),
                options.vicregCov(), VicRegLoss.DEFAULT_EPS));
        return Assembly.withExpander("vicreg", cfg, options, DEFAULT_DIM, objective);
    }
}
