package org.selfsup4j.vision.methods;

import java.util.List;
import java.util.Locale;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.AdamW;
import org.selfsup4j.core.optim.Lars;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.optim.Sgd;

/**
 * Which optimizer a method trains with, and its settings; the learning-rate schedule (warm-up then
 * cosine, {@link MethodConfig#WARMUP_FRACTION}) is the assembly's and applies to every kind.
 * Biases and normalization parameters get neither weight decay nor, with LARS, trust-ratio
 * adaptation ({@link org.selfsup4j.core.nn.Parameter#weightDecay()}), as in SimCLR and BYOL.
 *
 * @param kind the optimizer
 * @param weightDecay its weight-decay coefficient, &gt;= 0 (coupled L2 for Adam, SGD and LARS; decoupled for AdamW)
 * @param momentum SGD's and LARS's momentum, in [0, 1) (unused by Adam and AdamW)
 * @param trustCoefficient LARS's eta, &gt; 0 (unused by the others)
 */
public record OptimizerSpec(Kind kind, double weightDecay, double momentum, double trustCoefficient) {
    /** The optimizers a method can train with. */
    public enum Kind {
        /** {@link Adam}: every method's default here ({@link MethodConfig#DEFAULT_LEARNING_RATE}). */
        ADAM,
        /** {@link AdamW}, decoupled weight decay. */
        ADAMW,
        /** {@link Lars}: SimCLR's, BYOL's, Barlow Twins' and VICReg's optimizer. */
        LARS,
        /** {@link Sgd} with momentum: MoCo's optimizer. */
        SGD;

        /** @return the lower-case name, e.g. {@code "lars"} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Names accepted by {@link #parse}. */
    public static final List<String> NAMES = List.of("adam", "adamw", "lars", "sgd");
    /** The momentum of SimCLR's LARS and of MoCo's SGD. */
    public static final double DEFAULT_MOMENTUM = Lars.DEFAULT_MOMENTUM;
    /** MoCo v2's SGD weight decay ({@code --wd 1e-4} of its code). */
    public static final double SGD_WEIGHT_DECAY = 1e-4;
    /** SimCLR's LARS learning rate per 256 images ({@code 0.3 x BatchSize / 256}, section B.1). */
    public static final double LARS_LR_PER_256 = 0.3;
    /** MoCo's SGD learning rate per 256 images (0.03 at batch 256). */
    public static final double SGD_LR_PER_256 = 0.03;

    public OptimizerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("OptimizerSpec: kind must not be null");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("OptimizerSpec: weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("OptimizerSpec: momentum must be in [0, 1), got " + momentum);
        }
        if (!(trustCoefficient > 0) || Double.isInfinite(trustCoefficient)) {
            throw new IllegalArgumentException("OptimizerSpec: trustCoefficient must be finite and > 0, got "
                    + trustCoefficient);
        }
    }

    /**
     * @param name {@code adam, adamw, lars, sgd} (case-insensitive)
     * @return the kind
     * @throws IllegalArgumentException naming the choices
     */
    public static Kind parse(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (k.label().equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("OptimizerSpec: expected one of " + NAMES + ", got " + name);
    }

    /**
     * The settings of the papers that use each kind: Adam with {@link MethodConfig#WEIGHT_DECAY} (this
     * library's default for every method), AdamW with torch's {@link AdamW#DEFAULT_WEIGHT_DECAY}, LARS
     * with SimCLR's momentum, eta and weight decay ({@link Lars}), SGD with MoCo v2's momentum 0.9 and
     * {@link #SGD_WEIGHT_DECAY}.
     *
     * @param kind the optimizer
     * @return its default settings
     */
    public static OptimizerSpec defaults(Kind kind) {
        return switch (kind) {
            case ADAM -> new OptimizerSpec(kind, MethodConfig.WEIGHT_DECAY, 0, Lars.DEFAULT_ETA);
            case ADAMW -> new OptimizerSpec(kind, AdamW.DEFAULT_WEIGHT_DECAY, 0, Lars.DEFAULT_ETA);
            case LARS -> new OptimizerSpec(kind, Lars.DEFAULT_WEIGHT_DECAY, Lars.DEFAULT_MOMENTUM, Lars.DEFAULT_ETA);
            case SGD -> new OptimizerSpec(kind, SGD_WEIGHT_DECAY, DEFAULT_MOMENTUM, Lars.DEFAULT_ETA);
        };
    }

    /**
     * The base learning rate the papers use with each kind, scaled linearly with the batch for the
     * SGD family as they scale it: {@link MethodConfig#DEFAULT_LEARNING_RATE} for Adam and AdamW,
     * {@link #LARS_LR_PER_256} and {@link #SGD_LR_PER_256} times {@code batch / 256}.
     *
     * @param kind the optimizer
     * @param batch images per step, &gt; 0
     * @return the base learning rate
     */
    public static double defaultLearningRate(Kind kind, int batch) {
        return switch (kind) {
            case ADAM, ADAMW -> MethodConfig.DEFAULT_LEARNING_RATE;
            case LARS -> LARS_LR_PER_256 * batch / 256.0;
            case SGD -> SGD_LR_PER_256 * batch / 256.0;
        };
    }

    /** @return these settings with another weight decay */
    public OptimizerSpec withWeightDecay(double wd) {
        return new OptimizerSpec(kind, wd, momentum, trustCoefficient);
    }

    /** @return these settings with another SGD/LARS momentum */
    public OptimizerSpec withMomentum(double m) {
        return new OptimizerSpec(kind, weightDecay, m, trustCoefficient);
    }

    /** @return these settings with another LARS trust coefficient */
    public OptimizerSpec withTrustCoefficient(double eta) {
        return new OptimizerSpec(kind, weightDecay, momentum, eta);
    }

    /**
     * @param schedule the learning-rate schedule
     * @return the optimizer
     */
    public Optimizer build(LearningRateSchedule schedule) {
        return switch (kind) {
            case ADAM -> Adam.builder(schedule).weightDecay(weightDecay).build();
            case ADAMW -> AdamW.builder(schedule).weightDecay(weightDecay).build();
            case LARS -> Lars.builder(schedule).momentum(momentum).eta(trustCoefficient).weightDecay(weightDecay).build();
            case SGD -> Sgd.builder(schedule).momentum(momentum).weightDecay(weightDecay).build();
        };
    }
}
