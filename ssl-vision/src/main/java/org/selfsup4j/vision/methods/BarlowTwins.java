package org.selfsup4j.vision.methods;

import org.selfsup4j.losses.BarlowTwinsLoss;
import org.selfsup4j.losses.objective.BarlowTwinsObjective;

/**
 * Barlow Twins (Zbontar et al., "Barlow Twins: Self-Supervised Learning via Redundancy Reduction",
 * ICML 2021): backbone + 3-layer projector; the cross-correlation of the two views' batch-normalised
 * projections is pushed to the identity.
 *
 * <p>Paper defaults: off-diagonal weight {@link #LAMBDA} = 0.0051, projector 8192-8192-8192, LARS.
 * Here: projector {@link #DEFAULT_DIM} wide, Adam, and the paper's (BYOL's) views
 * ({@link ViewRecipe#BARLOW_TWINS}).
 */
public final class BarlowTwins {
    /** The paper's off-diagonal weight. */
    public static final double LAMBDA = BarlowTwinsLoss.DEFAULT_LAMBDA;
    /** Projector width used here (paper: 8192). */
    public static final int DEFAULT_DIM = 1024;

    private BarlowTwins() {
    }

    /**
     * @param cfg backbone, size, run length, widths ({@code hidden} sets the projector width)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg) {
        return assemble(cfg, MethodOptions.defaults("barlow-twins"));
    }

    /**
     * @param cfg backbone, size, run length, widths ({@code hidden} sets the projector width)
     * @param options views, optimizer and the off-diagonal weight
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        return Assembly.withExpander("barlow-twins", cfg, options, DEFAULT_DIM,
                new BarlowTwinsObjective(options.barlowLambda()));
    }
}
