package org.selfsup4j.core.optim;

import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Parameter;

/**
 * Adam with torch.optim.Adam's semantics: weight decay is <em>coupled</em> L2, added to the gradient
 * before the moments ({@link AdamW}, the same optimizer with decoupled decay, is its one subclass).
 * <pre>
 * g' = g + wd * w                      (wd only for parameters with {@link Parameter#weightDecay()})
 * m  = b1 * m + (1 - b1) * g'
 * v  = b2 * v + (1 - b2) * g' * g'
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps),    t = step + 1
 * </pre>
 *
 * <p>Bias correction uses {@code t = step + 1} from the {@code step} argument, so a run resumed
 * from a checkpoint (state restored into {@link #state}) continues exactly. State per parameter:
 * {@code "<param>/m"} (torch's {@code exp_avg}) and {@code "<param>/v"} ({@code exp_avg_sq}).
 * AMSGrad is not offered.
 *
 * <p>Kingma &amp; Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 */
public sealed class Adam extends ScheduledOptimizer permits AdamW {
    /** torch's and the paper's default first-moment decay. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** torch's and the paper's default second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** torch's and the paper's default denominator epsilon. */
    public static final double DEFAULT_EPSILON = 1e-8;
    /** torch.optim.Adam's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;

    /** How the weight decay enters the update. */
    public enum WeightDecayMode {
        /** L2 added to the gradient before the moments: torch.optim.Adam, {@link Adam}. */
        COUPLED_L2,
        /** Weights scaled by {@code 1 - lr * wd} before the Adam step: torch.optim.AdamW, {@link AdamW}. */
        DECOUPLED
    }

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final WeightDecayMode mode;

    Adam(Builder b, WeightDecayMode mode) {
        super(b.name, b.schedule, "m", "v");
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
        this.mode = mode;
    }

    /** A builder with torch's defaults and the given learning-rate schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder("Adam", schedule, DEFAULT_WEIGHT_DECAY, b -> new Adam(b, WeightDecayMode.COUPLED_L2));
    }

    @Override
    final void update(Parameter p, INDArray[] s, double lr, long step) {
        updateFused(p, s, lr, step);
    }

    @Override
    final boolean updateAndCheck(Parameter p, INDArray[] s, double lr, long step) {
        Boolean finite = updateFused(p, s, lr, step);
        return finite != null ? finite : allFinite(p, s);
    }

    /**
     * The update; on the fused host path whether all it wrote is finite, else (the ND4J path, which
     * does the update but cannot say) null.
     */
    private Boolean updateFused(Parameter p, INDArray[] s, double lr, long step) {
        double wd = p.weightDecay() ? weightDecay : 0.0;
        double l2 = mode == WeightDecayMode.COUPLED_L2 ? wd : 0.0;
        double decoupled = mode == WeightDecayMode.DECOUPLED ? wd : 0.0;
        if (AdamKernel.hostApplies(p.value(), p.gradient(), s[0], s[1])) {
            return AdamKernel.host(p.value(), p.gradient(), s[0], s[1], lr, beta1, beta2, epsilon, l2, decoupled, step);
        }
        AdamKernel.apply(p.value(), p.gradient(), s[0], s[1], scratch(p), lr, beta1, beta2, epsilon, l2, decoupled, step);
        return null;
    }

    /** The beta1 this optimizer was built with. */
    public final double beta1() { return beta1; }

    /** The beta2 this optimizer was built with. */
    public final double beta2() { return beta2; }

    /** The epsilon this optimizer was built with. */
    public final double epsilon() { return epsilon; }

    /** The weight-decay coefficient this optimizer was built with. */
    public final double weightDecay() { return weightDecay; }

    /** Coupled L2 for {@link Adam}, decoupled for {@link AdamW}. */
    public final WeightDecayMode weightDecayMode() { return mode; }

    /**
     * Settings for {@link Adam} and {@link AdamW}, validated by each setter. {@link #build()} makes
     * the class the builder came from: {@code AdamW.builder(s).build()} is an {@link AdamW}.
     */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private final Function<Builder, Adam> factory;
        private double beta1 = DEFAULT_BETA1;
        private double beta2 = DEFAULT_BETA2;
        private double epsilon = DEFAULT_EPSILON;

        Builder(String name, LearningRateSchedule schedule, double weightDecay, Function<Builder, Adam> factory) {
            super(name, schedule, weightDecay);
            this.factory = factory;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @param beta1 first-moment decay in [0, 1)
         * @param beta2 second-moment decay in [0, 1)
         */
        public Builder betas(double beta1, double beta2) {
            // both checked before either is kept, so a refused pair leaves the builder as it was
            Checks.unitInterval(name + ".Builder.betas", "beta1", beta1);
            Checks.unitInterval(name + ".Builder.betas", "beta2", beta2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** @param epsilon added to the bias-corrected sqrt(v), &gt; 0 */
        public Builder epsilon(double epsilon) {
            this.epsilon = Checks.positive(name + ".Builder.epsilon", "epsilon", epsilon);
            return this;
        }

        /** @return a new optimizer with these settings */
        public Adam build() {
            return factory.apply(this);
        }
    }
}
