package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.optim.ByolMomentumSchedule;
import org.selfsup4j.core.optim.ConstantMomentum;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.losses.MocoQueue;
import org.selfsup4j.losses.objective.BarlowTwinsObjective;
import org.selfsup4j.losses.objective.ByolObjective;
import org.selfsup4j.losses.objective.MocoObjective;
import org.selfsup4j.losses.objective.SimClrObjective;
import org.selfsup4j.losses.objective.VicRegObjective;

/**
 * One of the five two-view methods on a small float64 encoder ({@value #IN} -> {@value #HIDDEN} ->
 * {@value #OUT}: Linear, optional batch norm, ReLU, Linear), each with the library's own objective.
 *
 * <p>SGD with momentum, not Adam: Adam's update hardly changes when every gradient is scaled by the
 * same factor, so it would hide a wrong loss scaling (a missing or extra factor W) that SGD shows.
 *
 * @param kind the method
 * @param norm the encoder's normalisation
 */
record TinyMethod(Kind kind, Norm norm) implements ReplicaFactory {
    static final int IN = 8;
    static final int HIDDEN = 16;
    static final int OUT = 6;
    /** Shorter than the run's 72 keys, so the queue wraps. */
    static final int QUEUE = 30;
    static final long STEPS = 3;

    /** The methods. */
    enum Kind { SIMCLR, VICREG, BARLOW_TWINS, MOCO_V2, BYOL }

    /** The encoder's normalisation between its two Linears. */
    enum Norm {
        NONE,
        /** The library's BatchNorm: per worker statistics, the single-process reference of SYNC. */
        BATCH_NORM,
        /** {@link SyncBatchNorm}: global-batch statistics. */
        SYNC_BATCH_NORM
    }

    /** Every method with {@code norm}. */
    static List<TinyMethod> all(Norm norm) {
        List<TinyMethod> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            out.add(new TinyMethod(k, norm));
        }
        return out;
    }

    /** What single-process training of this replica is compared with: SyncBatchNorm becomes BatchNorm. */
    TinyMethod reference() {
        return norm == Norm.SYNC_BATCH_NORM ? new TinyMethod(kind, Norm.BATCH_NORM) : this;
    }

    @Override
    public Replica build(Collective collective) {
        Encoder online = Encoder.of(network(collective, norm));
        return switch (kind) {
            case SIMCLR -> new Replica(online, new SimClrObjective(0.5), sgd(), 2, false);
            case VICREG -> new Replica(online, new VicRegObjective(), sgd(), 2, false);
            case BARLOW_TWINS -> new Replica(online, new BarlowTwinsObjective(0.0051), sgd(), 2, false);
            case MOCO_V2 -> {
                MocoQueue queue = new MocoQueue(QUEUE, OUT, DataType.DOUBLE, 7);
                // a low momentum, so that the EMA visibly moves the key encoder within three steps
                yield new Replica(online, new MocoObjective(online, target(), queue, 0.2, new ConstantMomentum(0.9)),
                        sgd(), 2, true);
            }
            case BYOL -> {
                Mlp predictor = new Mlp(new int[] {OUT, HIDDEN, OUT}, false, true, false, DataType.DOUBLE,
                        new SplittableRandom(5));
                yield new Replica(online, new ByolObjective(online, target(), predictor,
                        new ByolMomentumSchedule(0.9, STEPS)), sgd(), 2, true);
            }
        };
    }

    /**
     * Exchanges per training step: embeddings (with the inputs, when the objective reads them),
     * gradients, and two per SyncBatchNorm.
     */
    long exchangesPerStep() {
        return 2 + (norm == Norm.SYNC_BATCH_NORM ? 2 : 0);
    }

    /**
     * The momentum encoder: the online architecture with the library's BatchNorm, since it runs on the
     * global batch on every worker (it needs no synchronisation).
     */
    private Module target() {
        return network(ThreadCollective.single(), norm == Norm.NONE ? Norm.NONE : Norm.BATCH_NORM);
    }

    private static Sequential network(Collective collective, Norm norm) {
        SplittableRandom rng = new SplittableRandom(0);
        List<Module> layers = new ArrayList<>();
        layers.add(new Linear(IN, HIDDEN, true, DataType.DOUBLE, rng));
        switch (norm) {
            case BATCH_NORM -> layers.add(new BatchNorm(HIDDEN, true, DataType.DOUBLE));
            case SYNC_BATCH_NORM -> layers.add(new SyncBatchNorm(collective, HIDDEN, true, DataType.DOUBLE));
            case NONE -> { }
        }
        layers.add(new ReLU());
        layers.add(new Linear(HIDDEN, OUT, true, DataType.DOUBLE, rng));
        return new Sequential(layers.toArray(new Module[0]));
    }

    private static Optimizer sgd() {
        return Sgd.builder(new ConstantSchedule(0.05)).momentum(0.9).weightDecay(1e-4).build();
    }
}
