package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Parameter;

/**
 * Stochastic gradient descent with optional heavy-ball or Nesterov momentum and coupled L2 weight
 * decay, with torch.optim.SGD's semantics (dampening 0):
 * <pre>
 * d   = g + wd * w          (wd only for parameters with {@link Parameter#weightDecay()})
 * buf = mu * buf + d        (buf starts at 0, which equals torch's buf = d on the first step)
 * w  -= lr * (d + mu * buf)  with Nesterov,   lr * buf  without,   lr * d  when mu = 0
 * </pre>
 * State: {@code "<param>/momentum"} (torch's {@code momentum_buffer}) when {@code mu > 0}, none otherwise.
 * Dampening is not offered: with dampening torch treats the first step specially, which a zeroed
 * buffer restored from a checkpoint could not reproduce.
 *
 * <p>Defaults are torch's (no momentum, no decay). MoCo v2 uses {@code momentum(0.9).weightDecay(1e-4)}.
 */
public final class Sgd implements Optimizer {
    /** torch.optim.SGD's default momentum. */
    public static final double DEFAULT_MOMENTUM = 0.0;
    /** torch.optim.SGD's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;

    private final LearningRateSchedule schedule;
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private final SlotStore store;

    private Sgd(Builder b) {
        this.schedule = b.schedule;
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
        this.store = momentum > 0 ? new SlotStore("Sgd", "momentum") : new SlotStore("Sgd");
    }

    /** A builder with torch's defaults and the given learning-rate schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder(schedule);
    }

    @Override
    public void step(List<Parameter> parameters, long step) {
        double lr = Checks.learningRate("Sgd.step", schedule, step);
        for (Parameter p : Checks.notNull("Sgd.step", "parameters", parameters)) {
            INDArray[] s = store.slots(p);
            INDArray buf = momentum > 0 ? s[0] : null;
            INDArray scratch = (p.weightDecay() && weightDecay != 0) || nesterov ? store.scratch(p) : null;
            MomentumKernel.apply(p.value(), p.gradient(), buf, scratch, lr, p.weightDecay() ? weightDecay : 0.0,
                    1.0, momentum, nesterov);
        }
    }

    @Override
    public double learningRate(long step) {
        return schedule.at(step);
    }

    @Override
    public Map<String, INDArray> state(List<Parameter> parameters) {
        return store.view(Checks.notNull("Sgd.state", "parameters", parameters));
    }

    /** The schedule this Sgd was built with. */
    public LearningRateSchedule schedule() { return schedule; }

    /** The momentum this Sgd was built with. */
    public double momentum() { return momentum; }

    /** The nesterov this Sgd was built with. */
    public boolean nesterov() { return nesterov; }

    /** The weightDecay this Sgd was built with. */
    public double weightDecay() { return weightDecay; }

    /** Settings for {@link Sgd}; validated in {@link #build()} and the setters. */
    public static final class Builder {
        private final LearningRateSchedule schedule;
        private double momentum = DEFAULT_MOMENTUM;
        private boolean nesterov;
        private double weightDecay = DEFAULT_WEIGHT_DECAY;

        private Builder(LearningRateSchedule schedule) {
            this.schedule = Checks.notNull("Sgd.builder", "schedule", schedule);
        }

        /** @param momentum in [0, 1) */
        public Builder momentum(double momentum) {
            Checks.unitInterval("Sgd.Builder.momentum", "momentum", momentum);
            this.momentum = momentum;
            return this;
        }

        /** Nesterov momentum (needs momentum &gt; 0). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Coupled L2 coefficient, added to the gradient of parameters with weightDecay(). */
        public Builder weightDecay(double weightDecay) {
            Checks.nonNegative("Sgd.Builder.weightDecay", "weightDecay", weightDecay);
            this.weightDecay = weightDecay;
            return this;
        }

        /** @return a new Sgd with these settings */
        public Sgd build() {
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Sgd.Builder.build: nesterov needs momentum > 0, got momentum 0");
            }
            return new Sgd(this);
        }
    }
}
