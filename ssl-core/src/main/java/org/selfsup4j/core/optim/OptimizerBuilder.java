package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Parameter;

/**
 * The settings every optimizer builder of this package holds: the learning-rate schedule (required)
 * and the weight-decay coefficient, each validated when set, with messages that name the optimizer.
 *
 * @param <B> the concrete builder, returned by the setters
 */
abstract class OptimizerBuilder<B extends OptimizerBuilder<B>> {
    final String name;
    final LearningRateSchedule schedule;
    double weightDecay;

    OptimizerBuilder(String name, LearningRateSchedule schedule, double weightDecay) {
        this.name = name;
        this.schedule = Checks.notNull(name + ".builder", "schedule", schedule);
        this.weightDecay = weightDecay;
    }

    /** This builder, typed as the concrete one. */
    abstract B self();

    /**
     * The weight-decay coefficient, &ge; 0, for parameters with {@link Parameter#weightDecay()}; how it
     * enters the update is the optimizer's (its class comment says).
     *
     * @param weightDecay the coefficient
     * @return this builder
     */
    public B weightDecay(double weightDecay) {
        this.weightDecay = Checks.nonNegative(name + ".Builder.weightDecay", "weightDecay", weightDecay);
        return self();
    }

    /**
     * The momentum settings {@link Sgd} and {@link Lars} share.
     *
     * @param <B> the concrete builder
     */
    abstract static class WithMomentum<B extends WithMomentum<B>> extends OptimizerBuilder<B> {
        double momentum;
        boolean nesterov;

        WithMomentum(String name, LearningRateSchedule schedule, double momentum, double weightDecay) {
            super(name, schedule, weightDecay);
            this.momentum = momentum;
        }

        /**
         * @param momentum in [0, 1)
         * @return this builder
         */
        public B momentum(double momentum) {
            this.momentum = Checks.unitInterval(name + ".Builder.momentum", "momentum", momentum);
            return self();
        }

        /**
         * Nesterov momentum (needs momentum &gt; 0).
         *
         * @param nesterov whether to use it
         * @return this builder
         */
        public B nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return self();
        }

        /** The check of {@code build()}: Nesterov needs a momentum. */
        final void checkNesterov() {
            Checks.argument(!nesterov || momentum > 0, name + ".Builder.build", "nesterov needs momentum > 0, got momentum 0");
        }

        /** The momentum state slot, when there is a momentum. */
        final String[] slots() {
            return momentum > 0 ? new String[] {"momentum"} : new String[0];
        }
    }
}
