package org.selfsup4j.core.optim;

import org.selfsup4j.core.nn.Parameter;

/**
 * AdamW with torch.optim.AdamW's semantics: {@link Adam} whose weight decay is <em>decoupled</em>
 * and scaled by the learning rate, applied to the weights before the Adam step (torch's order).
 * <pre>
 * w *= 1 - lr * wd                     (only parameters with {@link Parameter#weightDecay()})
 * m  = b1 * m + (1 - b1) * g
 * v  = b2 * v + (1 - b2) * g * g
 * w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps),    t = step + 1
 * </pre>
 * Betas, epsilon, state and resumption are Adam's; only the decay's place and its default differ.
 *
 * <p>Loshchilov &amp; Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 */
public final class AdamW extends Adam {
    /** torch.optim.AdamW's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 1e-2;

    private AdamW(Builder b) {
        super(b, WeightDecayMode.DECOUPLED);
    }

    /** A builder with torch's defaults ({@link #DEFAULT_WEIGHT_DECAY}) and the given schedule. */
    public static Builder builder(LearningRateSchedule schedule) {
        return new Builder("AdamW", schedule, DEFAULT_WEIGHT_DECAY, AdamW::new);
    }
}
