package org.selfsup4j.spark;

import java.util.Objects;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.train.Objective;

/**
 * One worker's copy of the model: what {@link org.selfsup4j.core.train.Trainer} takes, plus whether
 * the objective reads the input views.
 *
 * @param encoder the local encoder (distributed by {@link DistributedEncoder})
 * @param objective the objective, evaluated on the global batch on every worker; an objective that
 *                  owns a momentum encoder must have been built on {@code encoder} itself, so that its
 *                  EMA follows the replica's parameters
 * @param optimizer the optimizer with its schedule
 * @param views V, the views per sample
 * @param objectiveReadsInputs true when {@link Objective#compute} uses its {@code inputs} (MoCo's and
 *        BYOL's momentum encoders, reconstruction targets): the input shards then travel with the
 *        embeddings; false (SimCLR, VICReg, Barlow Twins, wav2vec 2.0) saves those bytes, and the
 *        other workers' input rows reach the objective as zeros
 */
public record Replica(Encoder encoder, Objective objective, Optimizer optimizer, int views,
                      boolean objectiveReadsInputs) {
    public Replica {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(optimizer, "optimizer");
        if (views < 1) {
            throw new IllegalArgumentException("Replica: expected at least one view, got " + views);
        }
    }
}
