package org.selfsup4j.vision.methods;

import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.losses.objective.ByolObjective;
import org.selfsup4j.vision.encoders.Heads;

/**
 * BYOL (Grill et al., "Bootstrap Your Own Latent", NeurIPS 2020): online backbone + projector +
 * predictor regress the EMA target's projection of the other view; no negatives.
 *
 * <p>Paper defaults: projector 4096 -> 256, predictor 4096 hidden, target momentum 0.996 raised to 1
 * on a cosine ({@link ByolMomentumSchedule#DEFAULT_TAU_BASE}), LARS, asymmetric blur/solarize views.
 * Here: widths {@link #DEFAULT_HIDDEN} -> {@link #DEFAULT_OUT}, Adam, BYOL's asymmetric views
 * ({@link ViewRecipe#BYOL}; up to 32 px without the blur, as solo-learn's CIFAR configuration) and
 * solo-learn's CIFAR base momentum
 * {@link #TAU_BASE} = 0.99: with 0.996 the target of a run of a few thousand steps moves too slowly to
 * pull the online network anywhere useful.
 */
public final class Byol {
    /**
     * Base target momentum for CIFAR-sized runs (solo-learn {@code scripts/pretrain/cifar/byol.yaml}:
     * {@code base_tau: 0.99}); the paper's ImageNet value is {@link ByolMomentumSchedule#DEFAULT_TAU_BASE}.
     */
    public static final double TAU_BASE = 0.99;
    /** Projector and predictor hidden width used here (paper: {@link Heads#BYOL_HIDDEN}). */
    public static final int DEFAULT_HIDDEN = 1024;
    /** Projection width (the paper's {@link Heads#BYOL_OUT}). */
    public static final int DEFAULT_OUT = Heads.BYOL_OUT;

    private Byol() {
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @param options views, optimizer, target momentum schedule, the predictor's learning-rate
     *                multiple (other than 1: {@link PredictorScaledOptimizer}) and local crops (with
     *                local crops the objective is {@link MultiCropByolObjective}'s)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Assembly.PredictedTwins p = Assembly.predictedTwins(cfg, DEFAULT_HIDDEN, DEFAULT_OUT, Heads::byolProjector);
        Assembly.Twins nets = p.nets();
        // Assembly.emaSchedule ends at 1 by default: the same numbers as ByolMomentumSchedule(TAU_BASE, K)
        MomentumSchedule ema = Assembly.emaSchedule(cfg, options);
        Objective objective = options.localCrops() > 0
                ? new MultiCropByolObjective(nets.online(), nets.target(), p.predictor(), ema)
                : new ByolObjective(nets.online(), nets.target(), p.predictor(), ema);
        PretrainSetup s = Assembly.contrastive("byol", cfg, options, nets.backbone(), nets.online(), objective);
        if (options.predictorLrScale() == 1.0) {
            return s;
        }
        Optimizer forPredictor = options.optimizer().build(Assembly.schedule(cfg,
                cfg.learningRate() * options.predictorLrScale()));
        return new PretrainSetup(s.method(), s.backbone(), s.encoder(), s.objective(), s.views(),
                new PredictorScaledOptimizer(s.optimizer(), forPredictor, options.predictorLrScale()));
    }
}
