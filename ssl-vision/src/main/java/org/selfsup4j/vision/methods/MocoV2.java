package org.selfsup4j.vision.methods;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.ConstantMomentum;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.losses.InfoNceLoss;
import org.selfsup4j.losses.MocoQueue;
import org.selfsup4j.losses.objective.MocoObjective;
import org.selfsup4j.vision.encoders.Heads;

/**
 * MoCo v2 (Chen et al., "Improved Baselines with Momentum Contrastive Learning", 2020): queries from
 * backbone + 2-layer MLP head, keys from a momentum copy (m = 0.999), negatives from a queue, InfoNCE
 * at temperature 0.2.
 *
 * <p>Paper defaults: {@link #TEMPERATURE}, {@link #MOMENTUM}, queue 65,536, head 2048 -> 128, SGD.
 * Here the queue holds {@link #DEFAULT_QUEUE} keys (half of the 8,000-image training set: a queue
 * larger than the dataset would hold stale copies of the positives) and the head has a BN layer like
 * the other methods; Adam ({@link MethodConfig}); MoCo v2's views ({@link ViewRecipe#MOCO_V2}); and the
 * key-encoder momentum follows solo-learn's CIFAR
 * schedule, {@link #MOMENTUM_BASE} -&gt; {@link #MOMENTUM} on a cosine over the run
 * ({@link CosineMomentumSchedule}): with a constant 0.999 the keys of a run of a few thousand steps
 * would come from an encoder still close to its random initialisation.
 */
public final class MocoV2 {
    /** MoCo v2's InfoNCE temperature. */
    public static final double TEMPERATURE = InfoNceLoss.DEFAULT_TEMPERATURE;
    /** MoCo's key-encoder momentum (the paper's constant; here the end of the schedule). */
    public static final double MOMENTUM = ConstantMomentum.MOCO_TAU;
    /** Key-encoder momentum at step 0 (solo-learn CIFAR {@code base_tau}). */
    public static final double MOMENTUM_BASE = CosineMomentumSchedule.MOCO_CIFAR_BASE;
    /** Queue length used here (paper: {@link MocoQueue#DEFAULT_SIZE}). */
    public static final int DEFAULT_QUEUE = 4096;
    /** Head hidden width used here. */
    public static final int DEFAULT_HIDDEN = 512;
    /** Head output width (the paper's 128). */
    public static final int DEFAULT_OUT = MocoQueue.DEFAULT_DIM;

    private MocoV2() {
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg) {
        return assemble(cfg, MethodOptions.defaults("moco-v2"));
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @param options views, optimizer, temperature, queue length and key-encoder momentum schedule
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        int out = cfg.outOr(DEFAULT_OUT);
        Assembly.Twins nets = Assembly.twins(cfg, cfg.hiddenOr(DEFAULT_HIDDEN), out, MocoV2::head);
        MocoQueue queue = new MocoQueue(options.queueSize(), out, cfg.backbone().dtype(), cfg.backbone().seed() + 1);
        MocoObjective objective = new MocoObjective(nets.online(), nets.target(), queue, options.temperature(),
                Assembly.emaSchedule(cfg, options));
        return Assembly.contrastive("moco-v2", cfg, options, nets.backbone(), nets.online(), objective);
    }

    private static Module head(int in, int hidden, int out, DataType dtype, SplittableRandom rng) {
        return Heads.simclrProjection(in, hidden, out, 2, dtype, rng);
    }
}
