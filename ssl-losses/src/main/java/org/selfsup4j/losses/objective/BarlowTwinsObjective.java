package org.selfsup4j.losses.objective;

import org.selfsup4j.losses.BarlowTwinsLoss;

/** Barlow Twins (Zbontar et al. 2021) on the projector outputs of two views. */
public final class BarlowTwinsObjective extends TwoViewObjective {
    /** @param lambda off-diagonal weight, e.g. {@link BarlowTwinsLoss#DEFAULT_LAMBDA} */
    public BarlowTwinsObjective(double lambda) {
        super("BarlowTwinsObjective", new BarlowTwinsLoss(lambda));
    }
}
