package org.selfsup4j.vision.methods;

import java.util.List;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.RandomHorizontalFlip;
import org.selfsup4j.augment.image.RandomResizedCrop;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.losses.MaePixelLoss;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.encoders.VisionTransformer;
import org.selfsup4j.vision.encoders.VisionTransformerConfig;
import org.selfsup4j.vision.nn.RandomPatchSelection;

/**
 * MAE (He et al., "Masked Autoencoders Are Scalable Vision Learners", CVPR 2022): a random
 * {@link #MASK_RATIO} of each image's patches is removed ({@link RandomPatchSelection}), the ViT
 * encoder sees the class token and the kept patches only, a light decoder ({@link MaeDecoder}) fills
 * a mask token in for the removed ones and predicts every patch's pixels, and the loss is the mean
 * squared error to the per-patch normalised pixels on the removed patches ({@link MaePixelLoss},
 * {@code norm_pix_loss}):
 *
 * <pre>
 *   tokens = ViT(kept patches of x)               pred = Decoder(tokens, mask)
 *   L      = sum_nl mask_nl mean_p (pred_nlp - norm(patch_nl(x))_p)^2 / sum_nl mask_nl
 * </pre>
 *
 * <p>Paper defaults, named here: mask ratio 0.75; decoder width {@link #PAPER_DECODER_DIM}, depth
 * {@link #PAPER_DECODER_DEPTH}, heads {@link #PAPER_DECODER_HEADS} (for ViT-L/H encoders); views a
 * random-resized crop of area ({@link #CROP_SCALE_MIN}, 1) and a horizontal flip, nothing else; AdamW
 * with betas ({@link #BETA1}, {@link #BETA2}) and weight decay {@link #WEIGHT_DECAY}, base learning
 * rate {@link #LR_PER_256} x batch / 256, linear warm-up then cosine decay. Here: a decoder of width
 * {@link #DEFAULT_DECODER_DIM} (or {@code cfg.hidden()}), depth {@link #DEFAULT_DECODER_DEPTH}, heads
 * {@link #DEFAULT_DECODER_HEADS}, sized for CPU runs; the schedule's warm-up is
 * {@link MethodConfig#WARMUP_FRACTION} of the run (MAE: 40 of 800 epochs, the same 5%). The learning
 * rate is {@code cfg.learningRate()}: {@link #learningRate} gives the paper's for a batch size.
 * Evaluation uses the backbone alone, on all patches: its class token (MAE's linear probe uses it too).
 */
public final class Mae {
    /** MAE's {@code mask_ratio}. */
    public static final double MASK_RATIO = MaePixelLoss.DEFAULT_MASK_RATIO;
    /** MAE's {@code decoder_embed_dim}. */
    public static final int PAPER_DECODER_DIM = 512;
    /** MAE's {@code decoder_depth}. */
    public static final int PAPER_DECODER_DEPTH = 8;
    /** MAE's {@code decoder_num_heads}. */
    public static final int PAPER_DECODER_HEADS = 16;
    /** The decoder width used here. */
    public static final int DEFAULT_DECODER_DIM = 128;
    /** The decoder depth used here. */
    public static final int DEFAULT_DECODER_DEPTH = 2;
    /** The decoder heads used here (32 values each at the default width). */
    public static final int DEFAULT_DECODER_HEADS = 4;
    /** The lower end of MAE's crop area range ({@code RandomResizedCrop(scale=(0.2, 1.0))}). */
    public static final double CROP_SCALE_MIN = 0.2;
    /** MAE's base learning rate per 256 images ({@code blr}; lr = blr x batch / 256). */
    public static final double LR_PER_256 = 1.5e-4;
    /** MAE's AdamW beta1. */
    public static final double BETA1 = 0.9;
    /** MAE's AdamW beta2. */
    public static final double BETA2 = 0.95;
    /** MAE's AdamW weight decay. */
    public static final double WEIGHT_DECAY = 0.05;
    /** MAE's optimizer settings, as {@link MethodOptions#defaults} gives them. */
    public static final OptimizerSpec OPTIMIZER = OptimizerSpec.defaults(OptimizerSpec.Kind.ADAMW)
            .withWeightDecay(WEIGHT_DECAY);

    private Mae() {
    }

    /**
     * @param batch images per step, &gt; 0
     * @return MAE's learning rate for it, {@link #LR_PER_256} x batch / 256
     */
    public static double learningRate(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("Mae.learningRate: batch must be >= 1, got " + batch);
        }
        return LR_PER_256 * batch / 256.0;
    }

    /**
     * @param cfg a ViT backbone ({@link BackboneSpec.Kind#VIT_TINY}), size, run length, decoder width
     *            ({@code hidden}, 0 for {@link #DEFAULT_DECODER_DIM})
     * @param options the optimizer (AdamW gets MAE's betas); MAE's views, whatever {@code options} say
     * @return the assembly
     * @throws IllegalArgumentException for another backbone: MAE's encoder drops patches, which only a
     *         transformer can skip
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        BackboneSpec spec = cfg.backbone();
        if (spec.kind() != BackboneSpec.Kind.VIT_TINY) {
            throw new IllegalArgumentException("Mae.assemble: MAE needs a ViT backbone (vit-tiny), whose encoder can"
                    + " leave the removed patches out, got " + spec.kind());
        }
        if (spec.imageSize() != cfg.imageSize()) {
            throw new IllegalArgumentException("Mae.assemble: the ViT is built for " + spec.imageSize()
                    + "-pixel images, the run's images are " + cfg.imageSize());
        }
        Backbone backbone = spec.build(cfg.norm());
        VisionTransformer vit = (VisionTransformer) backbone.module();
        VisionTransformerConfig vc = vit.config();
        RandomPatchSelection masking = new RandomPatchSelection(vc.numPatches(), MASK_RATIO,
                Assembly.headRng(cfg, 2).nextLong());
        MaeEncoder encoder = new MaeEncoder(vit, masking);
        MaeDecoder decoder = new MaeDecoder(vc.dim(), cfg.hiddenOr(DEFAULT_DECODER_DIM), DEFAULT_DECODER_DEPTH,
                DEFAULT_DECODER_HEADS, vc.numPatches(), vc.patchValues(), spec.dtype(), Assembly.headRng(cfg, 0));
        MaeObjective objective = new MaeObjective(encoder, decoder, vc.patch(), new MaePixelLoss());
        return new PretrainSetup("mae", backbone, Encoder.of(encoder), objective, views(cfg),
                optimizer(cfg, options));
    }

    /** MAE's view: a random-resized crop of area (0.2, 1) and a horizontal flip, normalised. */
    static ViewPipeline<FloatImage> views(MethodConfig cfg) {
        Transform<FloatImage> view = new Compose<>(List.of(
                new RandomResizedCrop(cfg.imageSize(), CROP_SCALE_MIN, RandomResizedCrop.DEFAULT_SCALE_MAX),
                new RandomHorizontalFlip()));
        return ImageRecipes.withNormalize(new ViewPipeline<>(List.of(view)), cfg.normalize());
    }

    private static Optimizer optimizer(MethodConfig cfg, MethodOptions options) {
        WarmupCosineSchedule schedule = Assembly.schedule(cfg, cfg.learningRate());
        if (options.optimizer().kind() == OptimizerSpec.Kind.ADAMW) {
            return AdamW.builder(schedule).betas(BETA1, BETA2).weightDecay(options.optimizer().weightDecay()).build();
        }
        return options.optimizer().build(schedule);
    }
}
