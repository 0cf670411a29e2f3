package org.selfsup4j.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.selfsup4j.augment.image.ViewSpec;
import org.selfsup4j.losses.DinoLoss;
import org.selfsup4j.losses.DinoTeacherTemperature;
import org.selfsup4j.losses.SwavLoss;
import org.selfsup4j.vision.methods.BarlowTwins;
import org.selfsup4j.vision.methods.Byol;
import org.selfsup4j.vision.methods.CropScales;
import org.selfsup4j.vision.methods.Dino;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.MethodOptions;
import org.selfsup4j.vision.methods.MocoV2;
import org.selfsup4j.vision.methods.MocoV3;
import org.selfsup4j.vision.methods.OptimizerSpec;
import org.selfsup4j.vision.methods.SimClr;
import org.selfsup4j.vision.methods.SimSiam;
import org.selfsup4j.vision.methods.Swav;
import org.selfsup4j.vision.methods.VicReg;
import org.selfsup4j.vision.methods.ViewRecipe;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.core.optim.Lars;
import picocli.CommandLine.Option;

/**
 * The {@code pretrain} options that choose a method's recipe: views, optimizer and the method's
 * hyperparameters. Each defaults to the paper's value the library names ({@link MethodOptions#defaults});
 * one the chosen method does not use is refused ({@link #validate}), so a typo'd or misplaced option
 * never goes silently unused.
 *
 * <p>A boxed field is null when the option was not given: then the method's default applies and the
 * option is left out of run.json, so a run without these options has the options (and hash) of a run
 * from before they existed.
 */
final class ImageRecipeOptions {
    /** The self-supervised methods: the ones with two views, a projector and an optimizer-visible head. */
    static final Set<String> TWO_VIEW = Set.of("simclr", "moco-v2", "byol", "vicreg", "barlow-twins", "simsiam",
            "moco-v3", "dino", "swav");
    /**
     * The methods with a multi-crop objective (SimCLR's one NT-Xent over all crops, BYOL's global
     * targets, DINO's teacher and SwAV's codes on the global crops).
     */
    static final Set<String> WITH_MULTI_CROP = Set.of("simclr", "byol", "dino", "swav");
    /** The methods with prototypes: SwAV's, and DINO's output dimension K. */
    static final Set<String> WITH_PROTOTYPES = Set.of("dino", "swav");
    /** The methods with a queue: MoCo v2's negatives, SwAV's features. */
    static final Set<String> WITH_QUEUE = Set.of("moco-v2", "swav");

    @Option(names = "--views", description = "two-view augmentation recipe: simclr, moco-v2, byol, vicreg, "
            + "barlow-twins (default: the method's paper's; no blur up to 32 px, as the CIFAR recipes)")
    String views;

    @Option(names = "--optimizer", description = "adam, adamw, lars or sgd, on the same warm-up + cosine schedule "
            + "(default adam; the papers' for simsiam (sgd, lr " + SimSiam.LR_PER_256 + " x batch/256), moco-v3 and "
            + "swav (lars), dino (adamw, lr " + Dino.LR_PER_256 + " x batch/256, weight decay " + Dino.WEIGHT_DECAY
            + "))")
    String optimizer;

    @Option(names = "--weight-decay", description = "weight decay (default per optimizer: adam "
            + MethodConfig.WEIGHT_DECAY + ", adamw " + AdamW.DEFAULT_WEIGHT_DECAY + " decoupled, lars "
            + Lars.DEFAULT_WEIGHT_DECAY + " (SimCLR), sgd " + OptimizerSpec.SGD_WEIGHT_DECAY + " (MoCo v2)); "
            + "biases and BN parameters get none")
    Double weightDecay;

    @Option(names = "--sgd-momentum", description = "SGD's and LARS's momentum (default "
            + OptimizerSpec.DEFAULT_MOMENTUM + ")")
    Double sgdMomentum;

    @Option(names = "--lars-eta", description = "LARS trust coefficient (default " + Lars.DEFAULT_ETA
            + "); biases and BN parameters are not adapted")
    Double larsEta;

    @Option(names = "--temperature", description = "SimCLR's NT-Xent / MoCo's InfoNCE / MoCo v3's / SwAV's "
            + "temperature, DINO's student temperature (default " + SimClr.TEMPERATURE + " SimCLR CIFAR, "
            + MocoV2.TEMPERATURE + " MoCo v2, " + MocoV3.TEMPERATURE + " MoCo v3, " + Dino.STUDENT_TEMPERATURE
            + " DINO, " + Swav.TEMPERATURE + " SwAV)")
    Double temperature;

    @Option(names = "--queue-size", description = "MoCo's queue of negatives (default " + MocoV2.DEFAULT_QUEUE
            + "; paper 65536), SwAV's queue of features per global crop (default " + Swav.DEFAULT_QUEUE
            + ", filled after " + Swav.QUEUE_START_FRACTION + " of the run; longer than --batch-size; 0: no queue)")
    Integer queueSize;

    @Option(names = "--momentum", description = "MoCo's key / BYOL's target / DINO's teacher EMA momentum at step 0, "
            + "raised on a cosine to --momentum-final (default " + MocoV2.MOMENTUM_BASE + " MoCo v2, " + Byol.TAU_BASE
            + " BYOL, " + MocoV3.MOMENTUM_BASE + " MoCo v3, " + Dino.MOMENTUM_BASE + " DINO)")
    Double momentum;

    @Option(names = "--momentum-final", description = "EMA momentum at the last step (default " + MocoV2.MOMENTUM
            + " MoCo v2, 1 BYOL, MoCo v3 and DINO; equal to --momentum: constant)")
    Double momentumFinal;

    @Option(names = {"--prototypes", "--dino-out-dim"}, description = "SwAV's prototypes (default "
            + Swav.DEFAULT_PROTOTYPES + "), DINO's output dimension K (default " + Dino.DEFAULT_PROTOTYPES
            + "; paper 65536)")
    Integer prototypes;

    @Option(names = "--teacher-temp", description = "DINO's teacher temperature after the warm-up (default "
            + DinoTeacherTemperature.DEFAULT_END + ")")
    Double teacherTemp;

    @Option(names = "--warmup-teacher-temp", description = "DINO's teacher temperature at epoch 0, raised linearly "
            + "to --teacher-temp (default " + DinoTeacherTemperature.DEFAULT_WARMUP_START + ")")
    Double warmupTeacherTemp;

    @Option(names = "--warmup-teacher-temp-epochs", description = "DINO's teacher-temperature warm-up in epochs "
            + "(default " + DinoTeacherTemperature.DEFAULT_WARMUP_EPOCHS + "; 0: --teacher-temp from the start)")
    Integer warmupTeacherTempEpochs;

    @Option(names = "--predictor-lr", description = "BYOL predictor learning rate, a multiple of --lr (default "
            + MethodOptions.PREDICTOR_LR_SCALE + ")")
    Double predictorLr;

    @Option(names = "--vicreg-sim", description = "VICReg invariance weight (default " + VicReg.LAMBDA + ")")
    Double vicregSim;

    @Option(names = "--vicreg-var", description = "VICReg variance weight (default " + VicReg.MU + ")")
    Double vicregVar;

    @Option(names = "--vicreg-cov", description = "VICReg covariance weight (default " + VicReg.NU + ")")
    Double vicregCov;

    @Option(names = "--barlow-lambda", description = "Barlow Twins off-diagonal weight (default "
            + BarlowTwins.LAMBDA + ")")
    Double barlowLambda;

    @Option(names = "--projector-dim", description = "projection width: SimCLR's and MoCo's output (default "
            + SimClr.DEFAULT_OUT + "), BYOL's (default " + Byol.DEFAULT_OUT + "), the VICReg / Barlow Twins "
            + "expander's (default " + VicReg.DEFAULT_DIM + "), SimSiam's (default " + SimSiam.DEFAULT_DIM
            + "), MoCo v3's (default " + MocoV3.DEFAULT_OUT + "), DINO's bottleneck (default " + Dino.BOTTLENECK
            + "), SwAV's (default " + Swav.DEFAULT_OUT + ")")
    Integer projectorDim;

    @Option(names = "--local-crops", description = "multi-crop of SimCLR, BYOL, DINO and SwAV: local crops per image "
            + "beside the 2 global ones (SwAV's areas: global 0.14-1, local 0.05-0.14; DINO's: 0.4-1, 0.05-0.4); SimCLR: "
            + "one NT-Xent over all crops, each a positive of its image's other crops; BYOL: every crop predicts the "
            + "global crops' targets; DINO: the teacher sees the global crops, the student all; SwAV: the global crops' "
            + "codes are predicted by the other crops (default 0; DINO " + Dino.LOCAL_CROPS + ", SwAV "
            + Swav.LOCAL_CROPS + ")")
    Integer localCrops;

    @Option(names = "--local-size", description = "side of the local crops (default 3/7 of --image-size, SwAV's "
            + "96 of 224); local crops are fed at this side, forwarded apart from the global ones")
    Integer localSize;

    /** The methods with a temperature (NT-Xent, InfoNCE, MoCo v3's and SwAV's softmax, DINO's student). */
    static final Set<String> WITH_TEMPERATURE = Set.of("simclr", "moco-v2", "moco-v3", "dino", "swav");
    /** The methods with a momentum (EMA) encoder. */
    static final Set<String> WITH_EMA = Set.of("moco-v2", "byol", "moco-v3", "dino");

    /**
     * A method-specific option.
     *
     * @param option its name
     * @param usedBy the methods that use it
     * @param value what came, or null when it was not given
     */
    private record MethodSpecific(String option, Set<String> usedBy, Object value) {
    }

    /** The method-specific options, in --help order. */
    private List<MethodSpecific> methodSpecific() {
        return List.of(new MethodSpecific("--views", TWO_VIEW, views),
                new MethodSpecific("--temperature", WITH_TEMPERATURE, temperature),
                new MethodSpecific("--queue-size", WITH_QUEUE, queueSize),
                new MethodSpecific("--momentum", WITH_EMA, momentum),
                new MethodSpecific("--momentum-final", WITH_EMA, momentumFinal),
                new MethodSpecific("--predictor-lr", Set.of("byol"), predictorLr),
                new MethodSpecific("--vicreg-sim", Set.of("vicreg"), vicregSim),
                new MethodSpecific("--vicreg-var", Set.of("vicreg"), vicregVar),
                new MethodSpecific("--vicreg-cov", Set.of("vicreg"), vicregCov),
                new MethodSpecific("--barlow-lambda", Set.of("barlow-twins"), barlowLambda),
                new MethodSpecific("--projector-dim", TWO_VIEW, projectorDim),
                new MethodSpecific("--local-crops", WITH_MULTI_CROP, localCrops),
                new MethodSpecific("--local-size", WITH_MULTI_CROP, localSize),
                new MethodSpecific("--prototypes", WITH_PROTOTYPES, prototypes),
                new MethodSpecific("--teacher-temp", Set.of("dino"), teacherTemp),
                new MethodSpecific("--warmup-teacher-temp", Set.of("dino"), warmupTeacherTemp),
                new MethodSpecific("--warmup-teacher-temp-epochs", Set.of("dino"), warmupTeacherTempEpochs));
    }

    /**
     * SwAV's queue widens Sinkhorn's batch with past features, so it must hold more rows than a batch
     * brings (checked here rather than after the random-init evaluation).
     *
     * @param method the resolved method
     * @param batch images per step
     * @throws UserError when a SwAV queue is not longer than the batch
     */
    void validateQueue(String method, int batch) {
        if ("swav".equals(method)) {
            int queue = queueSize != null ? queueSize : MethodOptions.defaults(method).queueSize();
            if (queue != 0 && queue <= batch) {
                throw UserError.usage("--queue-size " + queue + " must be longer than --batch-size " + batch
                        + " for swav (or 0 for no queue)");
            }
        }
    }

    /**
     * Checks the options for {@code method} before any data is read.
     *
     * @param method the canonical method name
     * @param imageSize {@code --image-size}, or null (then the local side is checked once the images are read)
     * @throws UserError naming the option, what it needs and what came
     */
    void validate(String method, Integer imageSize) {
        for (MethodSpecific o : methodSpecific()) {
            OptionChecks.usedBy(o.option(), o.value(), "--method", method, o.usedBy());
        }
        String kind = kind(method).label();
        OptionChecks.usedBy("--sgd-momentum", sgdMomentum, "--optimizer", kind, Set.of("sgd", "lars"));
        OptionChecks.usedBy("--lars-eta", larsEta, "--optimizer", kind, Set.of("lars"));
        if (views != null) {
            try {
                ViewRecipe.parse(views);
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--views: expected one of " + ViewRecipe.NAMES + ", got '" + views + "'");
            }
        }
        OptionChecks.nonNegativeFinite("--weight-decay", weightDecay, "none");
        OptionChecks.fraction("--sgd-momentum", sgdMomentum);
        OptionChecks.positiveFinite("--lars-eta", larsEta);
        OptionChecks.positiveFinite("--temperature", temperature);
        if ("swav".equals(method)) {
            OptionChecks.nonNegative("--queue-size", queueSize, "no queue");
        } else {
            OptionChecks.atLeast("--queue-size", queueSize, 1);
        }
        OptionChecks.unit("--momentum", momentum);
        OptionChecks.unit("--momentum-final", momentumFinal);
        double base = momentum != null ? momentum : MethodOptions.defaults(method).momentumBase();
        double end = momentumFinal != null ? momentumFinal : MethodOptions.defaults(method).momentumFinal();
        if ((momentum != null || momentumFinal != null) && base > end) {
            throw UserError.usage("--momentum-final must be at least --momentum (" + base + "), got " + end);
        }
        OptionChecks.positiveFinite("--predictor-lr", predictorLr);
        OptionChecks.nonNegativeFinite("--vicreg-sim", vicregSim, "off");
        OptionChecks.nonNegativeFinite("--vicreg-var", vicregVar, "off");
        OptionChecks.nonNegativeFinite("--vicreg-cov", vicregCov, "off");
        OptionChecks.nonNegativeFinite("--barlow-lambda", barlowLambda, "off");
        OptionChecks.atLeast("--projector-dim", projectorDim, 1);
        MethodOptions defaults = MethodOptions.defaults(method);
        // DINO and SwAV have local crops by default: 0 turns their multi-crop off
        OptionChecks.atLeast("--local-crops", localCrops, defaults.localCrops() > 0 ? 0 : 1);
        if (localSize != null && localCrops == null && defaults.localCrops() == 0) {
            throw UserError.usage("--local-size needs --local-crops (the number of local crops)");
        }
        OptionChecks.atLeast("--prototypes", prototypes, 1);
        OptionChecks.positiveFinite("--teacher-temp", teacherTemp);
        OptionChecks.positiveFinite("--warmup-teacher-temp", warmupTeacherTemp);
        OptionChecks.atLeast("--warmup-teacher-temp-epochs", warmupTeacherTempEpochs, 0);
        OptionChecks.atLeast("--local-size", localSize, 1);
        if (imageSize != null) {
            OptionChecks.between("--local-size", localSize, 1, imageSize);
        }
    }

    /**
     * @param method the canonical method name
     * @return {@code --optimizer} parsed, or the method's paper's when not given
     */
    OptimizerSpec.Kind kind(String method) {
        if (optimizer == null) {
            return MethodOptions.defaults(method).optimizer().kind();
        }
        try {
            return OptimizerSpec.parse(optimizer);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--optimizer: expected one of " + OptimizerSpec.NAMES + ", got '" + optimizer + "'");
        }
    }

    /**
     * @param method the canonical method name
     * @return the optimizer: the method's paper's settings when it is the method's optimizer (DINO's
     *         AdamW weight decay), else {@code --optimizer}'s defaults; with the options given
     */
    OptimizerSpec optimizerSpec(String method) {
        OptimizerSpec.Kind kind = kind(method);
        OptimizerSpec paper = MethodOptions.defaults(method).optimizer();
        OptimizerSpec s = paper.kind() == kind ? paper : OptimizerSpec.defaults(kind);
        s = weightDecay != null ? s.withWeightDecay(weightDecay) : s;
        s = sgdMomentum != null ? s.withMomentum(sgdMomentum) : s;
        return larsEta != null ? s.withTrustCoefficient(larsEta) : s;
    }

    /**
     * @param method the canonical method name
     * @param lr {@code --lr}, or null
     * @param batch images per step
     * @return {@code lr}, or the paper rate of the method's optimizer for the batch
     *         ({@link MethodOptions#defaultLearningRate})
     */
    double learningRate(String method, Double lr, int batch) {
        return lr != null ? lr : MethodOptions.defaultLearningRate(method, kind(method), batch);
    }

    /**
     * @param method the canonical method name
     * @param imageSize the side of the training images
     * @return the method's defaults with the options given
     * @throws UserError when the local side exceeds the images' (known only once they are read)
     */
    MethodOptions methodOptions(String method, int imageSize) {
        MethodOptions d = MethodOptions.defaults(method);
        MethodOptions o = new MethodOptions(views != null ? ViewRecipe.parse(views) : d.views(), optimizerSpec(method),
                or(temperature, d.temperature()), or(queueSize, d.queueSize()), or(momentum, d.momentumBase()),
                or(momentumFinal, d.momentumFinal()), or(predictorLr, d.predictorLrScale()), or(vicregSim,
                d.vicregSim()), or(vicregVar, d.vicregVar()), or(vicregCov, d.vicregCov()),
                or(barlowLambda, d.barlowLambda()), or(localCrops, d.localCrops()), or(localSize, d.localSize()),
                d.cropScales(), or(warmupTeacherTemp, d.teacherTemperatureStart()), or(teacherTemp,
                d.teacherTemperatureEnd()), or(warmupTeacherTempEpochs, d.teacherWarmupEpochs()),
                or(prototypes, d.prototypes()));
        if (o.localCrops() > 0 && o.localSide(imageSize) > imageSize) {
            throw UserError.usage("--local-size must be at most the image side " + imageSize + ", got "
                    + o.localSide(imageSize));
        }
        return o;
    }

    private static <T> T or(T given, T dflt) {
        return given != null ? given : dflt;
    }

    /**
     * @param method the canonical method name
     * @param hidden the method's configured hidden width (0: its default)
     * @return {@code [hidden, out]} widths for {@link MethodConfig}: {@code --projector-dim} is the
     *         expander width (hidden) of VICReg and Barlow Twins, the output width of the others
     */
    int[] widths(String method) {
        if (projectorDim == null) {
            return new int[] {0, 0};
        }
        return method.equals("vicreg") || method.equals("barlow-twins") ? new int[] {projectorDim, 0}
                : new int[] {0, projectorDim};
    }

    /** Adds the options given to run.json's options (the ones not given are left out, see the class comment). */
    void putRunOptions(Map<String, String> o) {
        putIfGiven(o, "optimizer", optimizer);
        putIfGiven(o, "weight-decay", weightDecay);
        putIfGiven(o, "sgd-momentum", sgdMomentum);
        putIfGiven(o, "lars-eta", larsEta);
        for (MethodSpecific m : methodSpecific()) {
            putIfGiven(o, m.option().substring(2), m.value());
        }
    }

    private static void putIfGiven(Map<String, String> o, String key, Object value) {
        if (value != null) {
            o.put(key, value.toString());
        }
    }

    /**
     * The effective recipe, as results.json records it: views (each view's parameters), optimizer and
     * the hyperparameters the method uses.
     *
     * @param method the canonical method name
     * @param options what {@link #methodOptions} returned
     * @param cfg the method's configuration
     * @return the fields
     */
    static Map<String, Object> describe(String method, MethodOptions options, MethodConfig cfg) {
        Map<String, Object> r = new LinkedHashMap<>();
        if (TWO_VIEW.contains(method)) {
            r.put("views", options.views().label());
            r.put("view_params", options.viewSpecs(cfg.imageSize()).stream().map(ImageRecipeOptions::view).toList());
            if (options.localCrops() > 0) {
                r.put("view_sides", options.viewSides(cfg.imageSize()));
            }
        } else {
            r.put("views", "one horizontally flipped view (reconstruction)");
        }
        OptimizerSpec o = options.optimizer();
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("kind", o.kind().label());
        opt.put("learning_rate", cfg.learningRate());
        opt.put("schedule", "linear warm-up over " + MethodConfig.WARMUP_FRACTION + " of the steps, then cosine to 0");
        opt.put("weight_decay", o.weightDecay());
        if (o.kind() == OptimizerSpec.Kind.SGD || o.kind() == OptimizerSpec.Kind.LARS) {
            opt.put("momentum", o.momentum());
        }
        if (o.kind() == OptimizerSpec.Kind.LARS) {
            opt.put("trust_coefficient", o.trustCoefficient());
            opt.put("excluded_from_decay_and_adaptation", "biases and batch-norm parameters");
        }
        r.put("optimizer", opt);
        Map<String, Object> h = new LinkedHashMap<>();
        if (WITH_TEMPERATURE.contains(method)) {
            h.put("temperature", options.temperature());
        }
        if (WITH_QUEUE.contains(method)) {
            h.put("queue_size", options.queueSize());
        }
        if (WITH_EMA.contains(method)) {
            h.put("momentum_base", options.momentumBase());
            h.put("momentum_final", options.momentumFinal());
        }
        if (method.equals("byol")) {
            h.put("predictor_lr_scale", options.predictorLrScale());
        }
        if (method.equals("vicreg")) {
            h.put("vicreg_sim_var_cov", List.of(options.vicregSim(), options.vicregVar(), options.vicregCov()));
        }
        if (method.equals("barlow-twins")) {
            h.put("barlow_lambda", options.barlowLambda());
        }
        if (WITH_PROTOTYPES.contains(method)) {
            h.put("prototypes", options.prototypes());
        }
        if (method.equals("dino")) {
            h.put("teacher_temperature", List.of(options.teacherTemperatureStart(), options.teacherTemperatureEnd()));
            h.put("teacher_temperature_warmup_epochs", options.teacherWarmupEpochs());
            h.put("center_momentum", DinoLoss.DEFAULT_CENTER_MOMENTUM);
        }
        if (method.equals("swav")) {
            h.put("sinkhorn_epsilon", SwavLoss.DEFAULT_EPSILON);
            h.put("sinkhorn_iterations", SwavLoss.DEFAULT_SINKHORN_ITERATIONS);
            h.put("queue_start_fraction", Swav.QUEUE_START_FRACTION);
            h.put("freeze_prototypes_fraction", Swav.FREEZE_PROTOTYPES_FRACTION);
        }
        if (options.localCrops() > 0) {
            h.put("local_crops", options.localCrops());
            h.put("local_size", options.localSide(cfg.imageSize()));
            h.put("multi_crop_loss", multiCropLoss(method));
            Map<String, Object> scales = new LinkedHashMap<>();
            CropScales cs = options.cropScales();
            scales.put("global", List.of(cs.globalMin(), cs.globalMax()));
            scales.put("local", List.of(cs.localMin(), cs.localMax()));
            h.put("multi_crop_scales", scales);
            h.put("multi_crop_forward", "one forward per crop size: local crops at their own side");
        }
        r.put("hyperparameters", h);
        return r;
    }

    private static String multiCropLoss(String method) {
        return switch (method) {
            case "byol" -> "sum over the 2 global crops g and every other crop c of BYOL's L(predictor(online(c)), "
                    + "target(g)) (solo-learn's BYOL multi-crop); the target sees the global crops only";
            case "dino" -> "DINO's cross-entropy of every student crop against the teacher's softmax of each other "
                    + "global crop, mean over the 2 (V - 1) pairs; the teacher sees the global crops only";
            case "swav" -> "SwAV's swapped prediction: the Sinkhorn codes of each global crop predicted by every "
                    + "other crop, mean over the 2 (V - 1) pairs";
            default -> "multi-positive NT-Xent over all crops in one similarity matrix (solo-learn's "
                    + "simclr_loss_func with indexes): every crop an anchor, its image's other crops its positives, "
                    + "every crop of the other images its negatives";
        };
    }

    private static Map<String, Object> view(ViewSpec s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("crop_scale", List.of(s.scaleMin(), s.scaleMax()));
        v.put("jitter", List.of(s.brightness(), s.contrast(), s.saturation(), s.hue()));
        v.put("jitter_p", s.jitterP());
        v.put("grayscale_p", s.grayscaleP());
        v.put("blur_p", s.blurP());
        v.put("solarize_p", s.solarizeP());
        return v;
    }
}
