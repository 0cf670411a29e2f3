package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.BatchNorm;
import org.selfsup4j.core.nn.Conv2d;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Flatten;
import org.selfsup4j.core.nn.GlobalAvgPool;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;

/** Multi-crop in the trainer: views of two sizes, one forward and backward per size. */
class TrainerMixedShapesTest {
    private static final long SEED = 7;
    private static final int N = 6;
    private static final double LR = 0.05;
    private static final DataType D = DataType.DOUBLE;

    /** A conv net ending in global average pooling: it takes any image size. */
    private static Encoder pooledNet() {
        SplittableRandom rng = new SplittableRandom(SEED);
        return Encoder.of(new Sequential(new Conv2d(1, 4, 3, 1, 1, false, D, rng), new BatchNorm(4, true, D),
                new ReLU(), new Conv2d(4, 8, 3, 2, 1, true, D, rng), new ReLU(), new GlobalAvgPool(),
                new Mlp(new int[] {8, 16, 8}, true, false, false, D, rng)));
    }

    /** Views 0, 1 global [N, 1, 12, 12], views 2, 3, 4 local [N, 1, 6, 6]; one fixed draw per step. */
    private static List<INDArray> views(long step) {
        Random r = new Random(SEED * 31 + step);
        List<INDArray> out = new ArrayList<>();
        for (int v = 0; v < 5; v++) {
            int side = v < 2 ? 12 : 6;
            double[] x = new double[N * side * side];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            out.add(Nd4j.createFromArray(x).reshape(N, 1, side, side));
        }
        return out;
    }

    private static INDArray stack(List<INDArray> views) {
        return Nd4j.concat(0, views.toArray(new INDArray[0]));
    }

    @Test
    void mixedShapes_matchForwardingEachSizeThroughItsOwnReplica_parametersAfterTwoStepsIdentical() {
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 2), pooledNet(), new AnchorMatchingObjective(0.5),
                new PlainSgd(LR));
        // the reference: one replica per size, the same initial weights; a shared weight's gradient is
        // the sum of its uses', so each replica's gradients are added before the plain SGD update
        Encoder global = pooledNet();
        Encoder local = pooledNet();
        Encoder stats = pooledNet();
        AnchorMatchingObjective objective = new AnchorMatchingObjective(0.5);
        List<Double> referenceLosses = new ArrayList<>();
        for (long s = 0; s < 2; s++) {
            List<INDArray> v = views(s);
            for (Encoder e : List.of(global, local)) {
                e.parameters().forEach(Parameter::zeroGradient);
            }
            INDArray zg = global.forward(stack(v.subList(0, 2)), true).dup();
            INDArray zl = local.forward(stack(v.subList(2, 5)), true).dup();
            List<INDArray> z = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                INDArray src = i < 2 ? zg : zl;
                int k = i < 2 ? i : i - 2;
                z.add(src.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(k * N, (k + 1) * N)));
            }
            ObjectiveOutput o = objective.compute(v, z, null);
            referenceLosses.add(o.loss());
            global.backward(Nd4j.concat(0, o.embeddingGradients().get(0), o.embeddingGradients().get(1)));
            local.backward(Nd4j.concat(0, o.embeddingGradients().subList(2, 5).toArray(new INDArray[0])));
            List<Parameter> pg = global.parameters();
            List<Parameter> pl = local.parameters();
            for (int i = 0; i < pg.size(); i++) {
                INDArray g = pg.get(i).gradient().add(pl.get(i).gradient());
                pg.get(i).value().subi(g.mul(LR));
                pl.get(i).value().assign(pg.get(i).value());
            }
            // the running statistics: each size's batch moves them once, the small crops first
            stats.forward(stack(v.subList(2, 5)), true);
            stats.forward(stack(v.subList(0, 2)), true);
            for (int i = 0; i < pg.size(); i++) {
                stats.parameters().get(i).value().assign(pg.get(i).value());
            }
        }
        List<StepReport> reports = new ArrayList<>();
        for (long s = 0; s < 2; s++) {
            reports.add(trainer.step(views(s), 1));
        }
        for (int s = 0; s < 2; s++) {
            assertEquals(Double.doubleToRawLongBits(referenceLosses.get(s)), Double.doubleToRawLongBits(reports.get(s).loss()),
                    "loss of step " + s);
        }
        List<Parameter> trained = trainer.parameters();
        List<Parameter> reference = global.parameters();
        assertEquals(reference.size(), trained.size());
        for (int i = 0; i < trained.size(); i++) {
            assertArrayEquals(reference.get(i).value().data().asDouble(), trained.get(i).value().data().asDouble(), 0.0,
                    "parameter " + trained.get(i).name());
        }
        var ours = trainer.stateArrays();
        stats.buffers().forEach((k, b) -> assertArrayEquals(b.data().asDouble(),
                ours.get("buffer/encoder." + k).data().asDouble(), 0.0, "running statistic " + k));
        assertTrue(reports.get(1).loss() != reports.get(0).loss(), "the two steps saw different data");
    }

    @Test
    void mixedShapes_secondStepReusesTheGroupsAndStaysFinite() {
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 4), pooledNet(), new AnchorMatchingObjective(0.5),
                new PlainSgd(LR));
        for (long s = 0; s < 4; s++) {
            StepReport r = trainer.step(views(s), 1);
            assertTrue(Double.isFinite(r.loss()) && !r.skipped(), "step " + s + ": " + r.loss());
        }
    }

    @Test
    void encoderWithoutGlobalPooling_refusesTheLocalSize_namingIt() {
        // Flatten + Linear is built for 12x12 inputs only
        SplittableRandom rng = new SplittableRandom(SEED);
        Encoder fixed = Encoder.of(new Sequential(new Flatten(), new Linear(144, 8, true, D, rng)));
        Trainer trainer = new Trainer(Trainer.Config.of(SEED, 1), fixed, new AnchorMatchingObjective(0.5),
                new PlainSgd(LR));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.step(views(0), 1));
        assertTrue(e.getMessage().contains("[6, 1, 6, 6] (views 2, 3, 4)"), e.getMessage());
    }
}
