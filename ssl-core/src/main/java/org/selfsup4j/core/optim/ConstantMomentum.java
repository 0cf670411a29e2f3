package org.selfsup4j.core.optim;

import org.selfsup4j.core.Checks;

/**
 * A fixed EMA coefficient, as MoCo (He et al. 2020) uses for its key encoder.
 *
 * @param tau the coefficient, in [0, 1]
 */
public record ConstantMomentum(double tau) implements MomentumSchedule {
    /** MoCo v1/v2's key-encoder momentum. */
    public static final double MOCO_TAU = 0.999;

    /** @throws IllegalArgumentException if tau is outside [0, 1] */
    public ConstantMomentum {
        Checks.inRange("ConstantMomentum", "tau", tau, 0, 1);
    }

    /** MoCo's 0.999. */
    public static ConstantMomentum moco() {
        return new ConstantMomentum(MOCO_TAU);
    }

    @Override
    public double at(long step) {
        return tau;
    }
}
