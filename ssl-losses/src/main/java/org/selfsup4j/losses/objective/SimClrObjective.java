package org.selfsup4j.losses.objective;

import org.selfsup4j.losses.NtXentLoss;

/**
 * SimCLR (Chen et al. 2020): NT-Xent between the projections of two views. The encoder given to
 * the trainer includes the projection head.
 */
public final class SimClrObjective extends TwoViewObjective {
    /** @param temperature NT-Xent's tau, e.g. {@link NtXentLoss#DEFAULT_TEMPERATURE} */
    public SimClrObjective(double temperature) {
        super("SimClrObjective", new NtXentLoss(temperature));
    }

    /** {@code ln(2N - 1)}: each of the 2N rows picks its positive among 2N - 1 candidates. */
    @Override
    public double chanceLoss(long batchSize) {
        return Math.log(2.0 * batchSize - 1);
    }
}
