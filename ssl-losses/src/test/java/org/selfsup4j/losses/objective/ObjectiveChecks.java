package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.Adam;
import org.selfsup4j.core.optim.ConstantSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.core.train.Trainer;

/** What the tests of the predictor, teacher and prototype objectives share: inputs, gradient and resume checks. */
final class ObjectiveChecks {
    /** Relative error allowed between an analytic float64 gradient and central differences. */
    static final double GRADIENT_TOLERANCE = 1e-6;

    private ObjectiveChecks() {
    }

    static Linear linear(int in, int out, long seed, DataType type) {
        return new Linear(in, out, true, type, new SplittableRandom(seed));
    }

    /** {@code views} arrays {@code [n, d]} of standard normal entries, a function of {@code seed}. */
    static List<INDArray> gaussian(int views, int n, int d, long seed, DataType type) {
        SplittableRandom r = new SplittableRandom(seed);
        List<INDArray> out = new ArrayList<>();
        for (int v = 0; v < views; v++) {
            double[] x = new double[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
            }
            out.add(Nd4j.create(x, new long[] {n, d}, DataType.DOUBLE).castTo(type));
        }
        return out;
    }

    /** Copies of the objective's state, to put back after a call that moves it (DINO's center). */
    static Map<String, INDArray> saved(Objective o) {
        Map<String, INDArray> s = new LinkedHashMap<>();
        o.state().forEach((k, v) -> s.put(k, v.dup()));
        return s;
    }

    static void restore(Objective o, Map<String, INDArray> saved) {
        o.state().forEach((k, v) -> v.assign(saved.get(k)));
    }

    /** Central differences of {@code loss} at {@code x} (perturbed in place), the objective's state put back after each call. */
    static INDArray numeric(Objective o, INDArray x, ToDoubleFunction<INDArray> loss) {
        Map<String, INDArray> s = saved(o);
        return FiniteDifferences.gradient(v -> {
            double value = loss.applyAsDouble(v);
            restore(o, s);
            return value;
        }, x);
    }

    static void assertClose(String what, INDArray analytic, INDArray numeric) {
        // the floor: central differences of a float64 loss carry ~1e-10 of rounding on entries near zero
        double err = FiniteDifferences.maxRelativeError(analytic, numeric, 1e-3);
        assertTrue(err < GRADIENT_TOLERANCE, what + ": relative error " + err + "\nanalytic " + analytic
                + "\nnumeric " + numeric);
    }

    /** Every parameter gradient of {@code m} is exactly zero: it was run forward only. */
    static void assertNoGradient(String what, Module m) {
        for (Parameter p : m.parameters()) {
            assertEquals(0.0, p.gradient().amaxNumber().doubleValue(), 0.0, what + " " + p.name() + " got a gradient");
        }
    }

    /** A run's encoder and objective, built from fixed seeds so two builds are identical. */
    record Run(Module encoder, Objective objective) {
    }

    /**
     * Runs {@code before} steps, snapshots, runs {@code after} more; a second run built alike and
     * restored from the snapshot must give the same losses and end in the same state, bit for bit.
     *
     * @param make builds the run (twice)
     * @param views the step's views, a function of the step
     */
    static void assertResumesBitExactly(Supplier<Run> make, LongFunction<List<INDArray>> views, int before, int after) {
        long total = before + after;
        Trainer first = trainer(make.get(), total);
        for (int s = 0; s < before; s++) {
            first.step(views.apply(s), 2);
        }
        Checkpoint snapshot = first.snapshot();
        List<Double> losses = new ArrayList<>();
        for (int s = before; s < total; s++) {
            losses.add(first.step(views.apply(s), 2).loss());
        }
        Trainer resumed = trainer(make.get(), total);
        resumed.restore(snapshot);
        for (int s = before; s < total; s++) {
            StepReport r = resumed.step(views.apply(s), 2);
            assertEquals(losses.get(s - before), r.loss(), 0.0, "loss of step " + s + " after resuming");
        }
        Map<String, INDArray> a = first.stateArrays();
        Map<String, INDArray> b = resumed.stateArrays();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).dup().data().asDouble(), b.get(k).dup().data().asDouble(), 0.0, k);
        }
    }

    private static Trainer trainer(Run run, long total) {
        return new Trainer(Trainer.Config.of(7, total), Encoder.of(run.encoder()), run.objective(),
                Adam.builder(new ConstantSchedule(1e-2)).build());
    }

    /** {@code views} noisy copies of {@code [n, d]} prototype rows, a function of the step. */
    static LongFunction<List<INDArray>> noisyViews(int views, int n, int d, DataType type) {
        INDArray centers = gaussian(1, 4, d, 99, DataType.DOUBLE).get(0);
        return step -> {
            SplittableRandom r = new SplittableRandom(Seeds.mix(99, step));
            int[] pick = new int[n];
            for (int i = 0; i < n; i++) {
                pick[i] = r.nextInt(4);
            }
            List<INDArray> out = new ArrayList<>();
            for (int v = 0; v < views; v++) {
                double[] x = new double[n * d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        x[i * d + j] = centers.getDouble(pick[i], j) + 0.5 * r.nextGaussian();
                    }
                }
                out.add(Nd4j.create(x, new long[] {n, d}, DataType.DOUBLE).castTo(type));
            }
            return out;
        };
    }
}
