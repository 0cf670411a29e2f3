package org.selfsup4j.core.optim;

/**
 * What {@link EmaCopy#update} does with a target's buffers (batch-norm running statistics).
 * All policies copy the online buffers once, when the {@link EmaCopy} is built.
 */
public enum EmaBufferPolicy {
    /**
     * Leave them to the target's own forward passes. This is what BYOL's reference code (the target
     * network carries its own state), solo-learn's and lightly's {@code MomentumUpdater} /
     * {@code update_momentum}, and MoCo's momentum update do: only parameters are averaged.
     */
    KEEP_TARGET,
    /** Overwrite with the online buffers at each update (timm-style "copy buffers"). */
    COPY,
    /** Average like the parameters (timm's {@code ModelEmaV2}, which averages the whole state dict). */
    EMA
}
