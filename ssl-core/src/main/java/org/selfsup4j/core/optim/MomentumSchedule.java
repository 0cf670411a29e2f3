package org.selfsup4j.core.optim;

/**
 * The EMA coefficient {@code tau} of a target network as a function of the 0-based training step
 * ({@code target = tau * target + (1 - tau) * online}, see {@link EmaCopy}).
 *
 * <p>Implementations: {@link ByolMomentumSchedule} (BYOL's cosine increase to 1),
 * {@link ConstantMomentum} (MoCo's fixed 0.999), {@link CosineMomentumSchedule} (solo-learn's base -> final cosine).
 */
@FunctionalInterface
public interface MomentumSchedule {

    /** @return tau for the given step, in [0, 1] */
    double at(long step);
}
