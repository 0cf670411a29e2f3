package org.selfsup4j.vision.methods;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.L2Normalize;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.losses.SwavLoss;
import org.selfsup4j.losses.objective.SwavObjective;
import org.selfsup4j.vision.encoders.Backbone;

/**
 * SwAV (Caron et al., "Unsupervised Learning of Visual Features by Contrasting Cluster
 * Assignments", NeurIPS 2020): backbone + projector + L2 normalization on every crop, scores
 * against K prototypes, Sinkhorn-Knopp codes of the global crops (with a queue of past features)
 * predicted by the other crops ({@link SwavObjective}).
 *
 * <p>Paper defaults ({@code main_swav.py} and its small-batch recipe): LARS at 0.3 x batch / 256
 * ({@link OptimizerSpec#LARS_LR_PER_256}: the paper's 4.8 at 4096), weight decay 1e-6, temperature
 * {@link #TEMPERATURE}, Sinkhorn eps {@link SwavLoss#DEFAULT_EPSILON} with
 * {@link SwavLoss#DEFAULT_SINKHORN_ITERATIONS} iterations, K = {@link #DEFAULT_PROTOTYPES}, 2 + 6 crops
 * at SwAV's scales ({@link CropScales#SWAV}), SimCLR's colour augmentations ({@link ViewRecipe#SIMCLR}),
 * projector 2048 -&gt; 128, a queue of {@link #DEFAULT_QUEUE} features. The queue starts and the
 * prototypes thaw at fractions of the run, solo-learn's CIFAR values
 * ({@code scripts/pretrain/cifar/swav.yaml}: {@code epoch_queue_starts: 50},
 * {@code freeze_prototypes_epochs: 2} of {@code max_epochs: 1000}): {@link #QUEUE_START_FRACTION}
 * and {@link #FREEZE_PROTOTYPES_FRACTION}. Here: projector hidden width {@link #DEFAULT_HIDDEN} for CPU runs.
 */
public final class Swav {
    /** The softmax temperature of the predictions. */
    public static final double TEMPERATURE = SwavLoss.DEFAULT_TEMPERATURE;
    /** Prototypes K ({@code nmb_prototypes 3000}; solo-learn CIFAR too). */
    public static final int DEFAULT_PROTOTYPES = SwavLoss.DEFAULT_PROTOTYPES;
    /** Features queued per assignment crop ({@code queue_length 3840}; solo-learn CIFAR {@code queue_size: 3840}). */
    public static final int DEFAULT_QUEUE = SwavLoss.RECIPE_QUEUE_LENGTH;
    /** Local crops per image ({@code nmb_crops 2 6}). */
    public static final int LOCAL_CROPS = SwavLoss.DEFAULT_CROPS - SwavLoss.ASSIGNMENT_CROPS;
    /** The part of the run before the queue is filled (solo-learn CIFAR: 50 of 1000 epochs). */
    public static final double QUEUE_START_FRACTION = 50.0 / 1000.0;
    /** The part of the run with frozen prototypes (solo-learn CIFAR: 2 of 1000 epochs). */
    public static final double FREEZE_PROTOTYPES_FRACTION = 2.0 / 1000.0;
    /** Projector hidden width used here (the paper's 2048). */
    public static final int DEFAULT_HIDDEN = 512;
    /** Projection width (the paper's {@code feat_dim 128}). */
    public static final int DEFAULT_OUT = 128;

    private Swav() {
    }

    /**
     * @param cfg backbone, size, run length, widths
     * @param options views and local crops, optimizer, temperature, queue length and K ({@link MethodOptions#prototypes})
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Backbone backbone = cfg.backbone().build(cfg.norm());
        int hidden = cfg.hiddenOr(DEFAULT_HIDDEN);
        int out = cfg.outOr(DEFAULT_OUT);
        Encoder encoder = Encoder.of(Assembly.withHead(cfg, backbone, (in, dtype, rng) -> Sequential.builder()
                .add("projector", new Mlp(new int[] {in, hidden, out}, true, true, false, dtype, rng, cfg.norm()))
                .add("normalize", new L2Normalize()).build()));
        DataType dtype = cfg.backbone().dtype();
        // nn.Linear(feat_dim, nmb_prototypes, bias=False)'s initialisation
        INDArray prototypes = Init.uniformFanIn(Assembly.headRng(cfg, 1), out, dtype, options.prototypes(), out);
        SwavLoss loss = new SwavLoss(SwavLoss.ASSIGNMENT_CROPS + options.localCrops(), options.temperature(),
                SwavLoss.DEFAULT_EPSILON, SwavLoss.DEFAULT_SINKHORN_ITERATIONS);
        SwavObjective objective = new SwavObjective(prototypes, loss, options.queueSize(),
                Math.round(cfg.totalSteps() * QUEUE_START_FRACTION),
                Math.round(cfg.totalSteps() * FREEZE_PROTOTYPES_FRACTION));
        return Assembly.contrastive("swav", cfg, options, backbone, encoder, objective);
    }
}
