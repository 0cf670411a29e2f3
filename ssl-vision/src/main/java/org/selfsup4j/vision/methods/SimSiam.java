package org.selfsup4j.vision.methods;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.losses.objective.SimSiamObjective;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.Heads;

/**
 * SimSiam (Chen and He, "Exploring Simple Siamese Representation Learning", CVPR 2021): backbone +
 * projector, a predictor, negative cosine of each view's prediction against the other view's
 * projection under stop-gradient; no momentum encoder, no negatives ({@link SimSiamObjective}).
 *
 * <p>Paper defaults: SGD, lr {@link #LR_PER_256} x batch / 256, momentum 0.9, weight decay 1e-4
 * ({@link OptimizerSpec#defaults} of SGD), projector 2048 wide with BN on every layer (its output BN
 * without affine), predictor bottleneck 512 (a quarter), MoCo v2's views
 * ({@link ViewRecipe#MOCO_V2}, the reference's augmentation). The CIFAR variant (the paper's
 * appendix, solo-learn {@code scripts/pretrain/cifar/simsiam.yaml}) has a 2-layer projector, as here.
 * Here: widths {@link #DEFAULT_DIM} and {@link #DEFAULT_DIM} / 4 for CPU runs. Deviation: the
 * predictor's learning rate follows the schedule (the paper keeps it fixed).
 */
public final class SimSiam {
    /** SimSiam's SGD learning rate per 256 images ({@code lr = 0.05 x BatchSize / 256}, section 4). */
    public static final double LR_PER_256 = 0.05;
    /** The paper's projector width (hidden and output). */
    public static final int PAPER_DIM = 2048;
    /** Projector width used here, hidden and output. */
    public static final int DEFAULT_DIM = 512;
    /** The predictor's bottleneck as a fraction of the projection: the paper's 512 of 2048. */
    public static final int PREDICTOR_REDUCTION = 4;

    private SimSiam() {
    }

    /**
     * @param cfg backbone, size, run length, widths (hidden: the projector's; out: the projection's)
     * @param options views and optimizer
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        cfg.requireBatchNorm("simsiam");
        Backbone backbone = cfg.backbone().build();
        int hidden = cfg.hiddenOr(DEFAULT_DIM);
        int out = cfg.outOr(DEFAULT_DIM);
        Encoder encoder = Encoder.of(Assembly.withHead(cfg, backbone, (in, dtype, rng) -> projector(in, hidden, out,
                dtype, rng)));
        Mlp predictor = Heads.predictor(out, Math.max(1, out / PREDICTOR_REDUCTION), cfg.backbone().dtype(),
                Assembly.headRng(cfg, 1));
        return Assembly.contrastive("simsiam", cfg, options, backbone, encoder, new SimSiamObjective(predictor));
    }

    /** {@code Linear-BN-ReLU-Linear-BN}, the last BN without affine: SimSiam's and MoCo v3's projector. */
    static Mlp projector(int in, int hidden, int out, DataType dtype, SplittableRandom rng) {
        return new Mlp(new int[] {in, hidden, out}, true, false, true, dtype, rng);
    }
}
