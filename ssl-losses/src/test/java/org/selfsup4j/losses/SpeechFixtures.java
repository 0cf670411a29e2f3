package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;

/** Reads speech_fixtures.json (written by make_fixtures.py beside it) and compares arrays. */
final class SpeechFixtures {
    private static JsonNode root;

    private SpeechFixtures() {
    }

    static synchronized JsonNode get(String name) {
        if (root == null) {
            try (InputStream in = SpeechFixtures.class.getResourceAsStream("/org/selfsup4j/losses/speech/speech_fixtures.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root.get(name);
    }

    static long[] shape(JsonNode a) {
        long[] s = new long[a.get("shape").size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = a.get("shape").get(i).asLong();
        }
        return s;
    }

    /** A floating array in the given data type. */
    static INDArray floats(JsonNode a, DataType dt) {
        JsonNode d = a.get("data");
        double[] v = new double[d.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.get(i).asDouble();
        }
        return Nd4j.createFromArray(v).castTo(dt).reshape(shape(a)).dup('c');
    }

    static INDArray ints(JsonNode a) {
        JsonNode d = a.get("data");
        int[] v = new int[d.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = d.get(i).asInt();
        }
        return Nd4j.createFromArray(v).reshape(shape(a)).dup('c');
    }

    /** Asserts same shape and max |a - e| / max(|e|, 1) <= tol. */
    static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - e[i]) / Math.max(Math.abs(e[i]), 1.0));
        }
        assertTrue(worst <= tol, what + ": max scaled error " + worst + " > " + tol);
    }

    static void assertClose(String what, double expected, double actual, double tol) {
        double err = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1.0);
        assertTrue(err <= tol, what + ": expected " + expected + ", got " + actual + " (scaled error " + err + ")");
    }

    /** Analytic vs central differences, float64. */
    static void assertGradient(String what, INDArray analytic, java.util.function.ToDoubleFunction<INDArray> f, INDArray x) {
        assertGradient(what, analytic, f, x, FiniteDifferences.DEFAULT_STEP);
    }

    /** As above with step h (a larger step when the value is large and the checked term small). */
    static void assertGradient(String what, INDArray analytic, java.util.function.ToDoubleFunction<INDArray> f, INDArray x,
            double h) {
        INDArray numeric = FiniteDifferences.gradient(f, x, h);
        double err = FiniteDifferences.maxRelativeError(analytic, numeric, 1e-7);
        assertTrue(err < 1e-6, what + ": relative error vs finite differences " + err);
    }
}
