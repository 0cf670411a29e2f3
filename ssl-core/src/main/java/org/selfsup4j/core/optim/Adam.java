package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;

/**
 * Adam with torch.optim.Adam's semantics: weight decay is <em>coupled</em> L2, added to the gradient
 * before the moments (use {@link AdamW} for decoupled decay).
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
public final class Adam implements Optimizer {
    /** torch's and the paper's default first-moment decay. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** torch's and the paper's default second-moment decay. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** torch's and the paper's default denominator epsilon. */
    public static final double DEFAULT_EPSILON = 1e-8;
    /** torch.optim.Adam's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;

    private final LearningRateSchedule schedule;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final SlotStore store = new SlotStore("Adam", "m", "v");

    private Adam(Builder b) {
        this.schedule = b.schedule;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.weightDecay = b.weightDecay;
    }

    /** A builder with torch's defaults and the given learning-rate schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder(schedule);
    }

    @Override
    public void step(List<Parameter> parameters, long step) {
        double lr = Checks.learningRate("Adam.step", schedule, step);
        for (Parameter p : Checks.notNull("Adam.step", "parameters", parameters)) {
            INDArray[] s = store.slots(p);
            double wd = p.weightDecay() ? weightDecay : 0.0;
            if (AdamKernel.hostApplies(p.value(), p.gradient(), s[0], s[1])) {
                AdamKernel.host(p.value(), p.gradient(), s[0], s[1], lr, beta1, beta2, epsilon, wd, 0.0, step);
            } else {
                AdamKernel.apply(p.value(), p.gradient(), s[0], s[1], store.scratch(p), lr, beta1, beta2, epsilon,
                        wd, 0.0, step);
            }
        }
    }

    @Override
    public double learningRate(long step) {
        return schedule.at(step);
    }

    @Override
    public Map<String, INDArray> state(List<Parameter> parameters) {
        return store.view(Checks.notNull("Adam.state", "parameters", parameters));
    }

    /** The schedule this Adam was built with. */
    public LearningRateSchedule schedule() { return schedule; }

    /** The beta1 this Adam was built with. */
    public double beta1() { return beta1; }

    /** The beta2 this Adam was built with. */
    public double beta2() { return beta2; }

    /** The epsilon this Adam was built with. */
    public double epsilon() { return epsilon; }

    /** The weightDecay this Adam was built with. */
    public double weightDecay() { return weightDecay; }

    /** Settings for {@link Adam}, validated by each setter. */
    public static final class Builder {
        private final LearningRateSchedule schedule;
        private double beta1 = DEFAULT_BETA1;
        private double beta2 = DEFAULT_BETA2;
        private double epsilon = DEFAULT_EPSILON;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;

        private Builder(LearningRateSchedule schedule) {
            this.schedule = Checks.notNull("Adam.builder", "schedule", schedule);
        }

        /**
         * @param beta1 first-moment decay in [0, 1)
         * @param beta2 second-moment decay in [0, 1)
         */
        public Builder betas(double beta1, double beta2) {
            Checks.unitInterval("Adam.Builder.betas", "beta1", beta1);
            Checks.unitInterval("Adam.Builder.betas", "beta2", beta2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** @param epsilon added to the bias-corrected sqrt(v), &gt; 0 */
        public Builder epsilon(double epsilon) {
            Checks.positive("Adam.Builder.epsilon", "epsilon", epsilon);
            this.epsilon = epsilon;
            return this;
        }

        /** Coupled L2 coefficient, added to the gradient of parameters with weightDecay(). */
        public Builder weightDecay(double weightDecay) {
            Checks.nonNegative("Adam.Builder.weightDecay", "weightDecay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** @return a new Adam with these settings */
        public Adam build() {
            return new Adam(this);
        }
    }
}
