package org.selfsup4j.spark;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Mlp;
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
 * The five two-view methods on a BN-free float64 MLP encoder ({@value #IN} -> {@value #HIDDEN} -> {@value #OUT}),
 * each with the library's own objective. SGD with momentum, not Adam: Adam's update hardly changes
 * when every gradient is scaled by the same factor, so it would hide a wrong loss scaling (a missing or
 * extra factor W) that SGD shows.
 */
enum TinyMethods implements ReplicaFactory {
    SIMCLR {
        @Override
        public Replica build() {
            return new Replica(encoder(0), new SimClrObjective(0.5), sgd(), 2, false);
        }
    },
    VICREG {
        @Override
        public Replica build() {
            return new Replica(encoder(0), new VicRegObjective(), sgd(), 2, false);
        }
    },
    BARLOW_TWINS {
        @Override
        public Replica build() {
            return new Replica(encoder(0), new BarlowTwinsObjective(0.0051), sgd(), 2, false);
        }
    },
    MOCO_V2 {
        @Override
        public Replica build() {
            Encoder online = encoder(0);
            MocoQueue queue = new MocoQueue(QUEUE, OUT, DataType.DOUBLE, 7);
            // a low momentum and a queue shorter than the run's keys, so both the EMA and the queue's wrap matter
            return new Replica(online, new MocoObjective(online, mlp(0), queue, 0.2, new ConstantMomentum(0.9)), sgd(), 2,
                    true);
        }
    },
    BYOL {
        @Override
        public Replica build() {
            Encoder online = encoder(0);
            Mlp predictor = new Mlp(new int[] {OUT, HIDDEN, OUT}, false, true, false, DataType.DOUBLE, new SplittableRandom(5));
            return new Replica(online, new ByolObjective(online, mlp(0), predictor, new ByolMomentumSchedule(0.9, STEPS)),
                    sgd(), 2, true);
        }
    };

    static final int IN = 8;
    static final int HIDDEN = 16;
    static final int OUT = 6;
    static final int QUEUE = 30;
    static final long STEPS = 3;

    static Mlp mlp(long seed) {
        return new Mlp(new int[] {IN, HIDDEN, OUT}, false, true, false, DataType.DOUBLE, new SplittableRandom(seed));
    }

    static Encoder encoder(long seed) {
        return Encoder.of(mlp(seed));
    }

    static Optimizer sgd() {
        return Sgd.builder(new ConstantSchedule(0.05)).momentum(0.9).weightDecay(1e-4).build();
    }
}
