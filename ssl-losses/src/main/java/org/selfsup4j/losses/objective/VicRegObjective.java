package org.selfsup4j.losses.objective;

import org.selfsup4j.losses.VicRegLoss;

/** VICReg (Bardes et al. 2022) on the expander outputs of two views; reports the three terms. */
public final class VicRegObjective extends TwoViewObjective {
    /** With the paper's weights 25 / 25 / 1. */
    public VicRegObjective() {
        this(new VicRegLoss());
    }

    /** @param loss the VICReg loss with its weights, owned by this objective */
    public VicRegObjective(VicRegLoss loss) {
        super("VicRegObjective", loss);
    }
}
