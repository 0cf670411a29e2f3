package org.selfsup4j.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the optimizers built from {@link OptimizerBuilder.WithMomentum} share ({@link Sgd}, {@link Lars}):
 * the momentum, the Nesterov flag and the weight decay their builder checked, and the momentum buffer
 * among a parameter's state slots. Each subclass keeps only its own update rule.
 */
abstract class MomentumOptimizer extends ScheduledOptimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;

    /** @param b the checked settings; the state has the momentum slot exactly when momentum &gt; 0 */
    MomentumOptimizer(OptimizerBuilder.WithMomentum<?> b) {
        super(b.name, b.schedule, b.slots());
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** The momentum buffer among a parameter's slots, or null when there is no momentum (and no slot). */
    final INDArray momentumBuffer(INDArray[] slots) {
        return momentum > 0 ? slots[0] : null;
    }

    /** The momentum this optimizer was built with. */
    public final double momentum() { return momentum; }

    /** Whether this optimizer was built with Nesterov momentum. */
    public final boolean nesterov() { return nesterov; }

    /** The weight decay this optimizer was built with. */
    public final double weightDecay() { return weightDecay; }
}
