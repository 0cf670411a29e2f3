package org.selfsup4j.vision.methods;

import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.RandomHorizontalFlip;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.CosineMomentumSchedule;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.Heads;

/** Pieces the method assemblies share. */
final class Assembly {
    /** Stream of the heads' initial weights, apart from the backbone's. */
    private static final long HEAD_STREAM = 0x4ead5L;

    private Assembly() {
    }

    /**
     * The views of {@code options}: its recipe's two views at {@code cfg}'s side, or with local crops
     * {@link MultiCrop}'s global and local views; normalised.
     */
    static ViewPipeline<FloatImage> contrastiveViews(MethodConfig cfg, MethodOptions options) {
        ViewPipeline<FloatImage> p = options.localCrops() > 0
                ? MultiCrop.views(options.views().specs(cfg.imageSize()), cfg.imageSize(),
                        options.localSide(cfg.imageSize()), options.localCrops(), options.cropScales())
                : options.views().pipeline(cfg.imageSize());
        return ImageRecipes.withNormalize(p, cfg.normalize());
    }

    /** One lightly augmented view (horizontal flip), normalised: the input and target of an autoencoder. */
    static ViewPipeline<FloatImage> reconstructionView(MethodConfig cfg) {
        Transform<FloatImage> flip = new RandomHorizontalFlip();
        return ImageRecipes.withNormalize(new ViewPipeline<>(List.of(flip)), cfg.normalize());
    }

    /** Linear warm-up ({@link MethodConfig#WARMUP_FRACTION} of the run) then cosine decay to zero. */
    static WarmupCosineSchedule schedule(MethodConfig cfg, double baseLr) {
        long warmup = Math.max(1, Math.round(cfg.totalSteps() * MethodConfig.WARMUP_FRACTION));
        return WarmupCosineSchedule.toZero(baseLr, warmup, cfg.totalSteps());
    }

    /** {@code options}' optimizer on {@link #schedule} of {@code cfg}'s learning rate. */
    static Optimizer optimizer(MethodConfig cfg, MethodOptions options) {
        return options.optimizer().build(schedule(cfg, cfg.learningRate()));
    }

    /** A generator for head weights, derived from the backbone seed. */
    static SplittableRandom headRng(MethodConfig cfg, long salt) {
        return new SplittableRandom(cfg.backbone().seed() * 0x9E3779B97F4A7C15L + HEAD_STREAM + salt);
    }

    static Sequential chain(Module backbone, Module head) {
        return Sequential.builder().add("backbone", backbone).add("head", head).build();
    }

    /** Builds a head on a backbone's feature width. */
    interface Head {
        Module build(int featureDim, DataType dtype, SplittableRandom rng);
    }

    /**
     * {@code backbone} followed by {@code head}, built from the head generator of salt 0: built twice
     * on two fresh backbones, it gives an online and a target (key) network the same initial weights.
     */
    static Sequential withHead(MethodConfig cfg, Backbone backbone, Head head) {
        return chain(backbone.module(), head.build(backbone.featureDim(), cfg.backbone().dtype(), headRng(cfg, 0)));
    }

    /**
     * The setup of a method whose network is {@code cfg}'s backbone followed by {@link Heads#expander}
     * of width {@code cfg.hiddenOr(defaultWidth)}, and which differs from the others of its kind only
     * in {@code objective}: Barlow Twins (the expander is its projector) and VICReg.
     */
    static PretrainSetup withExpander(String method, MethodConfig cfg, MethodOptions options, int defaultWidth,
            Objective objective) {
        Backbone backbone = cfg.backbone().build(cfg.norm());
        int width = cfg.hiddenOr(defaultWidth);
        Encoder encoder = Encoder.of(withHead(cfg, backbone,
                (in, dtype, rng) -> Heads.expander(in, width, dtype, rng, cfg.norm())));
        return contrastive(method, cfg, options, backbone, encoder, objective);
    }

    /**
     * An online network and its momentum (target or key) copy: two fresh backbones, each followed by
     * {@code head} from the same generator, so both start with the same weights (BYOL, MoCo).
     *
     * @param backbone the online backbone, the one evaluated
     * @param online the online backbone and head
     * @param target the copy the momentum updates
     */
    record Twins(Backbone backbone, Encoder online, Sequential target) {
    }

    /** Builds a head of the given hidden and output widths on a backbone's feature width. */
    interface SizedHead {
        Module build(int featureDim, int hidden, int out, DataType dtype, SplittableRandom rng);
    }

    /** {@link Twins} of {@code cfg}'s backbone with {@code head} of widths {@code hidden -> out}. */
    static Twins twins(MethodConfig cfg, int hidden, int out, SizedHead head) {
        return twins(cfg, (in, dtype, rng) -> head.build(in, hidden, out, dtype, rng));
    }

    /**
     * {@link Twins} with a predictor on the online projection (BYOL, MoCo v3).
     *
     * @param nets the online network and its momentum copy
     * @param predictor {@code out -> hidden -> out}, trained with the online network
     */
    record PredictedTwins(Twins nets, Mlp predictor) {
    }

    /**
     * {@link Twins} with {@code projector} of widths {@code cfg.hiddenOr(defaultHidden) -> cfg.outOr(defaultOut)},
     * and {@link Heads#predictor} of the same widths from the head generator of salt 1 (salt 0 is the projectors').
     */
    static PredictedTwins predictedTwins(MethodConfig cfg, int defaultHidden, int defaultOut, SizedHead projector) {
        int hidden = cfg.hiddenOr(defaultHidden);
        int out = cfg.outOr(defaultOut);
        Twins nets = twins(cfg, hidden, out, projector);
        return new PredictedTwins(nets, Heads.predictor(out, hidden, cfg.backbone().dtype(), headRng(cfg, 1)));
    }

    /**
     * The momentum (EMA) schedule of MoCo's key and BYOL's target encoder: {@code options}' base
     * momentum raised on a cosine to its final one over the run. With a final momentum of 1 it gives
     * {@link org.selfsup4j.core.optim.ByolMomentumSchedule}'s numbers exactly (the same formula).
     */
    static MomentumSchedule emaSchedule(MethodConfig cfg, MethodOptions options) {
        return new CosineMomentumSchedule(options.momentumBase(), options.momentumFinal(), cfg.totalSteps());
    }

    /** {@link Twins} of {@code cfg}'s backbone with {@code head}. */
    private static Twins twins(MethodConfig cfg, Head head) {
        cfg.requireBatchNorm("a method with a momentum encoder");
        Backbone backbone = cfg.backbone().build();
        Encoder online = Encoder.of(withHead(cfg, backbone, head));
        return new Twins(backbone, online, withHead(cfg, cfg.backbone().build(), head));
    }

    /** A {@link ConvDecoder} from {@code backbone}'s features, from the head generator of salt 0. */
    static Sequential decoder(MethodConfig cfg, Backbone backbone) {
        return decoder(cfg, backbone.featureDim(), headRng(cfg, 0));
    }

    /** A {@link ConvDecoder} from {@code latent} features back to {@code cfg}'s images. */
    static Sequential decoder(MethodConfig cfg, int latent, SplittableRandom rng) {
        return ConvDecoder.build(latent, Autoencoder.DECODER_CHANNELS, cfg.backbone().inChannels(), cfg.imageSize(),
                cfg.backbone().dtype(), rng);
    }

    /** A two-view method's setup: {@link #contrastiveViews} and {@link #optimizer}. */
    static PretrainSetup contrastive(String method, MethodConfig cfg, MethodOptions options, Backbone backbone,
            Encoder encoder, Objective objective) {
        return new PretrainSetup(method, backbone, encoder, objective, contrastiveViews(cfg, options),
                optimizer(cfg, options));
    }

    /** An autoencoder's setup: {@link #reconstructionView} and {@link #optimizer}. */
    static PretrainSetup reconstruction(String method, MethodConfig cfg, MethodOptions options, Backbone backbone,
            Encoder encoder, Objective objective) {
        cfg.requireBatchNorm(method);
        return new PretrainSetup(method, backbone, encoder, objective, reconstructionView(cfg),
                optimizer(cfg, options));
    }
}
