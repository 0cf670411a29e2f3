package org.selfsup4j.vision.methods;

import org.selfsup4j.losses.DinoLoss;
import org.selfsup4j.losses.DinoTeacherTemperature;
import org.selfsup4j.losses.objective.DinoObjective;

/**
 * DINO (Caron et al., "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021):
 * student backbone + {@link DinoHead} on every crop, an EMA teacher on the two global crops, the
 * teacher's centered and sharpened softmax as the student's target ({@link DinoObjective}).
 *
 * <p>Paper defaults ({@code main_dino.py}): AdamW at {@link #LR_PER_256} x batch / 256, weight decay
 * {@link #WEIGHT_DECAY} (the reference raises it to 0.4 on a cosine; constant here), student
 * temperature {@link #STUDENT_TEMPERATURE}, teacher temperature warmed up from 0.04 to 0.07 over 30
 * epochs ({@link DinoTeacherTemperature#dino()}), teacher momentum {@link #MOMENTUM_BASE} raised to 1
 * on a cosine, 2 global + {@link #LOCAL_CROPS} local crops at DINO's scales ({@link CropScales#DINO}),
 * BYOL's colour augmentations ({@link ViewRecipe#BYOL}); head 2048 wide, bottleneck 256, K =
 * {@link DinoLoss#DEFAULT_OUT_DIM}. Here: K {@link #DEFAULT_PROTOTYPES} (solo-learn
 * {@code scripts/pretrain/cifar/dino.yaml}: {@code num_prototypes: 4096}) and head width
 * {@link #DEFAULT_HIDDEN} for CPU runs. The head's last layer is weight-normalized with its norm
 * fixed ({@code norm_last_layer}), as the reference; no gradient clipping, and the last layer is not
 * frozen in the first epoch.
 */
public final class Dino {
    /** AdamW learning rate per 256 images ({@code --lr 0.0005}, scaled by batch / 256). */
    public static final double LR_PER_256 = 5e-4;
    /** AdamW weight decay ({@code --weight_decay 0.04}, the start of the reference's schedule). */
    public static final double WEIGHT_DECAY = 0.04;
    /** The student's temperature tau_s. */
    public static final double STUDENT_TEMPERATURE = DinoLoss.DEFAULT_STUDENT_TEMPERATURE;
    /** The teacher's momentum at step 0 ({@code --momentum_teacher 0.996}). */
    public static final double MOMENTUM_BASE = 0.996;
    /** Local crops per image ({@code --local_crops_number 8}). */
    public static final int LOCAL_CROPS = DinoLoss.DEFAULT_LOCAL_CROPS;
    /** The paper's head hidden width ({@code hidden_dim=2048}). */
    public static final int PAPER_HIDDEN = 2048;
    /** Head hidden width used here. */
    public static final int DEFAULT_HIDDEN = 512;
    /** The bottleneck width ({@code bottleneck_dim=256}). */
    public static final int BOTTLENECK = 256;
    /** K used here (solo-learn CIFAR); the paper's is {@link DinoLoss#DEFAULT_OUT_DIM}. */
    public static final int DEFAULT_PROTOTYPES = 4096;

    private Dino() {
    }

    /**
     * @param cfg backbone, size, run length, widths (hidden: the head's; out: the bottleneck's)
     * @param options views and local crops, optimizer, student temperature, teacher temperatures,
     *                momentum schedule and K ({@link MethodOptions#prototypes})
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        int hidden = cfg.hiddenOr(DEFAULT_HIDDEN);
        int k = options.prototypes();
        Assembly.Twins nets = Assembly.twins(cfg, hidden, cfg.outOr(BOTTLENECK),
                (in, h, bottleneck, dtype, rng) -> new DinoHead(in, h, bottleneck, k, dtype, rng));
        DinoLoss loss = new DinoLoss(k, DinoLoss.GLOBAL_CROPS + options.localCrops(), options.temperature(),
                DinoLoss.DEFAULT_CENTER_MOMENTUM, cfg.backbone().dtype());
        DinoTeacherTemperature teacher = new DinoTeacherTemperature(options.teacherTemperatureStart(),
                options.teacherTemperatureEnd(), options.teacherWarmupEpochs());
        DinoObjective objective = new DinoObjective(nets.online(), nets.target(), loss, teacher,
                Assembly.emaSchedule(cfg, options));
        return Assembly.contrastive("dino", cfg, options, nets.backbone(), nets.online(), objective);
    }
}
