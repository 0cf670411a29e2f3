package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.check.FiniteDifferences;

/** Fixture loading and gradient checks shared by the loss tests. */
final class LossTesting {
    private LossTesting() {
    }

    /** One golden case written by make_fixtures.py (PyTorch autograd, float64). */
    record FixtureCase(String name, Map<String, Double> params, List<INDArray> inputs, double value,
                       Map<String, Double> terms, List<INDArray> gradients) {
        double param(String key) {
            Double v = params.get(key);
            if (v == null) {
                throw new IllegalStateException("fixture " + name + " has no param " + key);
            }
            return v;
        }

        INDArray[] inputs(DataType type) {
            return inputs.stream().map(x -> x.castTo(type)).toArray(INDArray[]::new);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<FixtureCase> load(String file) {
        String path = "/org/selfsup4j/losses/" + file;
        try (InputStream in = LossTesting.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<FixtureCase> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                Map<String, Double> params = new HashMap<>();
                c.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asDouble()));
                Map<String, Double> terms = new HashMap<>();
                if (c.has("terms")) {
                    c.get("terms").fields().forEachRemaining(e -> terms.put(e.getKey(), e.getValue().asDouble()));
                }
                cases.add(new FixtureCase(c.get("name").asText(), params, arrays(c.get("inputs")),
                        c.get("value").asDouble(), terms, arrays(c.get("gradients"))));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<INDArray> arrays(JsonNode list) {
        List<INDArray> out = new ArrayList<>();
        for (JsonNode a : list) {
            long[] shape = new long[a.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = a.get("shape").get(i).asLong();
            }
            double[] data = new double[a.get("data").size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = a.get("data").get(i).asDouble();
            }
            out.add(Nd4j.createFromArray(data).reshape(shape));
        }
        return out;
    }

    /** Entry-wise |e - a| &lt;= tol * max(1, max|e|) — tolerance relative to the array's scale. */
    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup().data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup().data().asDouble();
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - a[i]);
            if (!(err <= tol * scale)) {
                throw new AssertionError(what + ": entry " + i + " expected " + e[i] + " got " + a[i]
                        + " (tolerance " + tol * scale + ")");
            }
        }
    }

    static void assertValueClose(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, tol * Math.max(1, Math.abs(expected)), what);
    }

    /** Checks every gradient of {@code loss} at {@code inputs} (float64) against central differences. */
    static void assertGradientsMatchFiniteDifferences(Function<INDArray[], LossResult> loss, double tol,
                                                      INDArray... inputs) {
        INDArray[] xs = new INDArray[inputs.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = inputs[i].castTo(DataType.DOUBLE).dup('c');
        }
        LossResult r = loss.apply(xs);
        INDArray[] analytic = new INDArray[xs.length];
        for (int i = 0; i < xs.length; i++) {
            analytic[i] = r.gradient(i).dup();
        }
        for (int i = 0; i < xs.length; i++) {
            final int arg = i;
            INDArray numeric = FiniteDifferences.gradient(x -> {
                INDArray[] args = xs.clone();
                args[arg] = x;
                return loss.apply(args).value();
            }, xs[i]);
            double err = FiniteDifferences.maxRelativeError(analytic[i], numeric, 1e-7);
            assertTrue(err < tol, "gradient of argument " + i + ": max relative error " + err
                    + "\nanalytic " + analytic[i] + "\nnumeric " + numeric);
        }
    }

    static boolean allFinite(INDArray x) {
        for (double v : x.castTo(DataType.DOUBLE).dup().data().asDouble()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Standard normal entries from a seeded {@link java.util.Random}: identical on every backend. */
    static INDArray randn(long seed, DataType type, long... shape) {
        java.util.Random rng = new java.util.Random(seed);
        long len = 1;
        for (long s : shape) {
            len *= s;
        }
        double[] data = new double[(int) len];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextGaussian();
        }
        return Nd4j.createFromArray(data).reshape(shape).castTo(type);
    }
}
