package org.selfsup4j.core.optim;

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
public final class Sgd extends MomentumOptimizer {
    /** torch.optim.SGD's default momentum. */
    public static final double DEFAULT_MOMENTUM = 0.0;
    /** torch.optim.SGD's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.0;

    private Sgd(Builder b) {
        super(b);
    }

    /** A builder with torch's defaults and the given learning-rate schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder(schedule);
    }

    @Override
    void update(Parameter p, INDArray[] s, double lr, long step) {
        double wd = p.weightDecay() ? weightDecay() : 0.0;
        INDArray scratch = wd != 0 || nesterov() ? scratch(p) : null;
        MomentumKernel.apply(p.value(), p.gradient(), momentumBuffer(s), scratch, lr, wd, 1.0, momentum(), nesterov());
    }

    /** Settings for {@link Sgd}, validated by each setter and {@link #build()}. */
    public static final class Builder extends OptimizerBuilder.WithMomentum<Builder> {
        private Builder(LearningRateSchedule schedule) {
            super("Sgd", schedule, DEFAULT_MOMENTUM, DEFAULT_WEIGHT_DECAY);
        }

        @Override
        Builder self() {
            return this;
        }

        /** @return a new Sgd with these settings */
        public Sgd build() {
            checkNesterov();
            return new Sgd(this);
        }
    }
}
