package org.selfsup4j.vision.methods;

import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.losses.NtXentLoss;
import org.selfsup4j.losses.objective.SimClrObjective;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.Heads;

/**
 * SimCLR (Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations",
 * ICML 2020): backbone + 2-layer projection head with BN, NT-Xent between two augmented views.
 *
 * <p>Paper defaults: head 2048 -> 128, temperature 0.5 for CIFAR-10 ({@link #TEMPERATURE}), LARS.
 * Here: head {@link #DEFAULT_HIDDEN} -> {@link #DEFAULT_OUT} and Adam ({@link MethodConfig}), for CPU runs;
 * the paper's views ({@link ViewRecipe#SIMCLR}); with local crops, {@link MultiCropObjective}.
 */
public final class SimClr {
    /** The paper's CIFAR-10 temperature. */
    public static final double TEMPERATURE = NtXentLoss.CIFAR_TEMPERATURE;
    /** Projection hidden width used here (paper: {@link Heads#SIMCLR_HIDDEN}). */
    public static final int DEFAULT_HIDDEN = 512;
    /** Projection output width (the paper's {@link Heads#SIMCLR_OUT}). */
    public static final int DEFAULT_OUT = Heads.SIMCLR_OUT;

    private SimClr() {
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @param options views, optimizer, temperature and local crops (with local crops the loss is
     *                {@link MultiCropObjective}'s)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Backbone backbone = cfg.backbone().build(cfg.norm());
        Encoder encoder = Encoder.of(Assembly.withHead(cfg, backbone, (in, dtype, rng) ->
                Heads.simclrProjection(in, cfg.hiddenOr(DEFAULT_HIDDEN), cfg.outOr(DEFAULT_OUT), 2, dtype, rng,
                        cfg.norm())));
        Objective objective = options.localCrops() > 0 ? new MultiCropObjective(options.temperature())
                : new SimClrObjective(options.temperature());
        return Assembly.contrastive("simclr", cfg, options, backbone, encoder, objective);
    }
}
