package org.selfsup4j.vision.methods;

import org.selfsup4j.losses.MocoV3Loss;
import org.selfsup4j.losses.objective.MocoV3Objective;
import org.selfsup4j.vision.encoders.Heads;

/**
 * MoCo v3 (Chen, Xie and He, "An Empirical Study of Training Self-Supervised Vision Transformers",
 * ICCV 2021): online backbone + projector + predictor, momentum backbone + projector, symmetric
 * contrastive loss against the batch's keys, no queue ({@link MocoV3Objective}).
 *
 * <p>Paper defaults (ResNet recipe, {@code main_moco.py}): LARS, weight decay 1e-6, projector 4096
 * -&gt; 256 and predictor 4096 wide with BN (their output BN without affine), momentum
 * {@link #MOMENTUM_BASE} raised to 1 on a cosine, BYOL's asymmetric views ({@link ViewRecipe#BYOL}).
 * Here: solo-learn's CIFAR values ({@code scripts/pretrain/cifar/mocov3.yaml}): temperature
 * {@link #TEMPERATURE} (the reference's ResNet default is {@link MocoV3Loss#RESNET_TEMPERATURE}), LARS
 * at 0.3 x batch / 256 ({@link OptimizerSpec#LARS_LR_PER_256}); widths {@link #DEFAULT_HIDDEN} -&gt;
 * {@link #DEFAULT_OUT} for CPU runs.
 */
public final class MocoV3 {
    /** Temperature (solo-learn CIFAR {@code temperature: 0.2}; the reference's ViT {@code --moco-t=.2}). */
    public static final double TEMPERATURE = MocoV3Loss.VIT_TEMPERATURE;
    /** Momentum encoder's momentum at step 0 ({@code --moco-m 0.99}; solo-learn CIFAR {@code base_tau}). */
    public static final double MOMENTUM_BASE = 0.99;
    /** The paper's projector and predictor hidden width. */
    public static final int PAPER_HIDDEN = 4096;
    /** Projector and predictor hidden width used here. */
    public static final int DEFAULT_HIDDEN = 1024;
    /** Projection width (the paper's 256). */
    public static final int DEFAULT_OUT = 256;

    private MocoV3() {
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @param options views, optimizer, temperature and momentum schedule
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Assembly.PredictedTwins p = Assembly.predictedTwins(cfg, DEFAULT_HIDDEN, DEFAULT_OUT, SimSiam::projector);
        Assembly.Twins nets = p.nets();
        MocoV3Objective objective = new MocoV3Objective(nets.online(), nets.target(), p.predictor(),
                options.temperature(), Assembly.emaSchedule(cfg, options));
        return Assembly.contrastive("moco-v3", cfg, options, nets.backbone(), nets.online(), objective);
    }
}
