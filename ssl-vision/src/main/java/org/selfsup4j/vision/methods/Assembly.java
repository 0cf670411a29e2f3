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
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.Adam;
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

    /** SimCLR's CIFAR augmentations (crop, flip, jitter 0.4/0.4/0.4/0.1 p=0.8, gray p=0.2), normalised. */
    static ViewPipeline<FloatImage> contrastiveViews(MethodConfig cfg) {
        ViewPipeline<FloatImage> p = ViewPipeline.repeated(
                ImageRecipes.simclr(cfg.imageSize(), ImageRecipes.SIMCLR_CIFAR_STRENGTH, false), 2);
        return ImageRecipes.withNormalize(p, cfg.normalize());
    }

    /** One lightly augmented view (horizontal flip), normalised: the input and target of an autoencoder. */
    static ViewPipeline<FloatImage> reconstructionView(MethodConfig cfg) {
        Transform<FloatImage> flip = new RandomHorizontalFlip();
        return ImageRecipes.withNormalize(new ViewPipeline<>(List.of(flip)), cfg.normalize());
    }

    /** Adam with linear warm-up then cosine decay to zero. */
    static Optimizer adam(MethodConfig cfg) {
        long warmup = Math.max(1, Math.round(cfg.totalSteps() * MethodConfig.WARMUP_FRACTION));
        return Adam.builder(WarmupCosineSchedule.toZero(cfg.learningRate(), warmup, cfg.totalSteps()))
                .weightDecay(MethodConfig.WEIGHT_DECAY).build();
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
    static PretrainSetup withExpander(String method, MethodConfig cfg, int defaultWidth, Objective objective) {
        Backbone backbone = cfg.backbone().build();
        int width = cfg.hiddenOr(defaultWidth);
        Encoder encoder = Encoder.of(withHead(cfg, backbone, (in, dtype, rng) -> Heads.expander(in, width, dtype, rng)));
        return contrastive(method, cfg, backbone, encoder, objective);
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

    /** {@link Twins} of {@code cfg}'s backbone with {@code head}. */
    static Twins twins(MethodConfig cfg, Head head) {
        Backbone backbone = cfg.backbone().build();
        Encoder online = Encoder.of(withHead(cfg, backbone, head));
        return new Twins(backbone, online, withHead(cfg, cfg.backbone().build(), head));
    }

    /** A {@link ConvDecoder} from {@code latent} features back to {@code cfg}'s images. */
    static Sequential decoder(MethodConfig cfg, int latent, SplittableRandom rng) {
        return ConvDecoder.build(latent, Autoencoder.DECODER_CHANNELS, cfg.backbone().inChannels(), cfg.imageSize(),
                cfg.backbone().dtype(), rng);
    }

    /** A two-view method's setup: {@link #contrastiveViews} and {@link #adam}. */
    static PretrainSetup contrastive(String method, MethodConfig cfg, Backbone backbone, Encoder encoder,
            Objective objective) {
        return new PretrainSetup(method, backbone, encoder, objective, contrastiveViews(cfg), adam(cfg));
    }

    /** An autoencoder's setup: {@link #reconstructionView} and {@link #adam}. */
    static PretrainSetup reconstruction(String method, MethodConfig cfg, Backbone backbone, Encoder encoder,
            Objective objective) {
        return new PretrainSetup(method, backbone, encoder, objective, reconstructionView(cfg), adam(cfg));
    }
}
