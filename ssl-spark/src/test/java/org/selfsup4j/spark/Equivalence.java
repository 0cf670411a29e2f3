package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.train.Trainer;

/** Single-process reference runs and the comparisons of the data-parallel tests. */
final class Equivalence {
    /** The bar: distributed equals single-process within relative 1e-6 in float64. */
    static final double TOLERANCE = 1e-6;

    private Equivalence() {
    }

    /** Every state array after {@code steps} single-process steps on the global batches. */
    static Map<String, double[]> singleProcess(ReplicaFactory factory, ReferenceData data, long seed, long totalSteps,
                                               long steps) {
        Replica r = factory.build(ThreadCollective.single());
        Trainer t = new Trainer(Trainer.Config.of(seed, totalSteps), r.encoder(), r.objective(), r.optimizer());
        for (long s = 0; s < steps; s++) {
            t.step(data.global(s), data.stepsPerEpoch());
        }
        return flat(t);
    }

    /**
     * Single-process training of {@code method.reference()} for {@link TinyMethod#STEPS} steps, checked
     * to have moved the encoder (else equality proves nothing).
     */
    static Map<String, double[]> reference(TinyMethod method, RandomViews data, long seed) {
        Map<String, double[]> after = singleProcess(method.reference(), data, seed, TinyMethod.STEPS, TinyMethod.STEPS);
        assertMoved(initial(method.reference(), seed, TinyMethod.STEPS), after, method.toString());
        return after;
    }

    /** The state before any step. */
    static Map<String, double[]> initial(ReplicaFactory factory, long seed, long totalSteps) {
        Replica r = factory.build(ThreadCollective.single());
        return flat(new Trainer(Trainer.Config.of(seed, totalSteps), r.encoder(), r.objective(), r.optimizer()));
    }

    private static Map<String, double[]> flat(Trainer t) {
        Map<String, double[]> out = new LinkedHashMap<>();
        t.stateArrays().forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE).dup('c').data().asDouble()));
        return out;
    }

    /**
     * An absolute floor under the relative bar, for arrays that are rounding noise in both runs: the
     * momentum of VICReg's and Barlow Twins' last bias, whose true gradient is zero, is ~1e-17.
     */
    static final double NOISE_FLOOR = 1e-12;

    /**
     * Same keys; every array within {@link #TOLERANCE} of the reference, relative to the reference's
     * norm (plus {@link #NOISE_FLOOR}).
     */
    static void assertClose(Map<String, double[]> expected, Map<String, double[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": state keys");
        for (String k : expected.keySet()) {
            double[] e = expected.get(k);
            double[] a = actual.get(k);
            double diff = distance(e, a);
            double norm = distance(e, new double[e.length]);
            assertTrue(diff <= TOLERANCE * norm + NOISE_FLOOR, what + ": " + k
                    + " differs from single-process training by " + diff + " (norm " + norm + ")");
        }
    }

    /**
     * The run must have moved every encoder weight, else equality proves nothing (biases are not
     * checked: VICReg's and Barlow Twins' losses do not see the last layer's bias, a shift of the batch).
     */
    static void assertMoved(Map<String, double[]> before, Map<String, double[]> after, String what) {
        int checked = 0;
        for (String k : before.keySet()) {
            if (k.startsWith("param/encoder.") && k.endsWith(".weight")) {
                double rel = relativeError(before.get(k), after.get(k));
                assertTrue(rel > 1e-3, what + ": " + k + " moved only by relative " + rel);
                checked++;
            }
        }
        assertTrue(checked > 0, what + ": no encoder parameters in the state");
    }

    /** ||a - b|| / ||a||. */
    static double relativeError(double[] expected, double[] actual) {
        return distance(expected, actual) / distance(expected, new double[expected.length]);
    }

    /** ||a - b||. */
    static double distance(double[] a, double[] b) {
        assertEquals(a.length, b.length, "array lengths");
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }
}
