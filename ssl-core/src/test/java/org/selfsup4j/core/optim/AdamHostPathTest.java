package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.kernel.Parallel;
import org.selfsup4j.core.nn.Parameter;

/**
 * The fused host update of {@link AdamKernel} against the update written out in double precision,
 * and against the ND4J nine-pass path, for Adam (coupled L2) and AdamW (decoupled decay), float32
 * and float64, below and above the two-thread split, and with lr = 0; and the split's results for
 * one and two threads.
 */
class AdamHostPathTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restore() {
        AdamKernel.forceNd4j = false;
        Parallel.setThreads(threadsBefore);
    }

    /** Written-out torch formula, in double, for one element over several steps. */
    private static double[] reference(double[] w0, double[][] grads, double lr, double wd, boolean decoupled,
            double[] mOut, double[] vOut) {
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double[] w = w0.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int k = 0; k < grads.length; k++) {
            double t = k + 1;
            for (int i = 0; i < w.length; i++) {
                double g = grads[k][i];
                if (decoupled) {
                    w[i] *= 1 - lr * wd;
                } else {
                    g += wd * w[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        System.arraycopy(m, 0, mOut, 0, m.length);
        System.arraycopy(v, 0, vOut, 0, v.length);
        return w;
    }

    private static Optimizer make(boolean decoupled, double lr, double wd) {
        return decoupled ? AdamW.builder(new ConstantSchedule(lr)).weightDecay(wd).build()
                : Adam.builder(new ConstantSchedule(lr)).weightDecay(wd).build();
    }

    @ParameterizedTest(name = "{0} decoupled={1} n={2}")
    @CsvSource({"DOUBLE, false, 37", "DOUBLE, true, 37", "FLOAT, false, 37", "FLOAT, true, 37",
            "FLOAT, false, 1048583", "FLOAT, true, 1048583", "DOUBLE, true, 1048583"})
    void hostStep_matchesWrittenOutFormula(DataType type, boolean decoupled, int n) {
        SplittableRandom rng = new SplittableRandom(n + (decoupled ? 1 : 0));
        int steps = 4;
        double[] w0 = new double[n];
        double[][] grads = new double[steps][n];
        for (int i = 0; i < n; i++) {
            w0[i] = rng.nextDouble(-1, 1);
            for (int k = 0; k < steps; k++) {
                grads[k][i] = rng.nextDouble(-2, 2);
            }
        }
        if (type == DataType.FLOAT) {
            // the reference sees the float-rounded inputs the float run sees
            for (int i = 0; i < n; i++) {
                w0[i] = (float) w0[i];
                for (int k = 0; k < steps; k++) {
                    grads[k][i] = (float) grads[k][i];
                }
            }
        }
        double lr = 0.01;
        double wd = 0.1;
        var p = new Parameter("w", Nd4j.createFromArray(w0).castTo(type), true);
        assertTrue(AdamKernel.hostApplies(p.value(), p.gradient(), p.value().ulike(), p.value().ulike()));
        Optimizer opt = make(decoupled, lr, wd);
        for (int k = 0; k < steps; k++) {
            p.gradient().assign(Nd4j.createFromArray(grads[k]).castTo(type));
            opt.step(List.of(p), k);
        }
        double[] m = new double[n];
        double[] v = new double[n];
        double[] expected = reference(w0, grads, lr, wd, decoupled, m, v);
        double tol = type == DataType.DOUBLE ? 1e-13 : 5e-7;
        double[] got = p.value().toDoubleVector();
        double[] gotM = opt.state(List.of(p)).get("w/m").toDoubleVector();
        double[] gotV = opt.state(List.of(p)).get("w/v").toDoubleVector();
        for (int i = 0; i < n; i++) {
            assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "w[" + i + "]");
            assertEquals(m[i], gotM[i], tol * Math.max(1, Math.abs(m[i])), "m[" + i + "]");
            assertEquals(v[i], gotV[i], tol * Math.max(1, Math.abs(v[i])), "v[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0} decoupled={1} n={2}")
    @CsvSource({"FLOAT, false, 1000", "FLOAT, true, 1048583", "DOUBLE, false, 1048583", "DOUBLE, true, 1000"})
    void hostStep_agreesWithNd4jPath_andRepeatsBitForBit(DataType type, boolean decoupled, int n) {
        INDArray init = Nd4j.rand(type, n).subi(0.5);
        INDArray grad = Nd4j.rand(type, n).subi(0.5);
        INDArray[] results = new INDArray[3];
        for (int run = 0; run < 3; run++) {
            AdamKernel.forceNd4j = run == 2;
            var p = new Parameter("w", init.dup(), true);
            p.gradient().assign(grad);
            Optimizer opt = make(decoupled, 0.05, 0.2);
            for (int k = 0; k < 3; k++) {
                opt.step(List.of(p), k);
            }
            results[run] = p.value();
        }
        assertFalse(results[0].equals(init), "the update must move the weights");
        assertEquals(results[0], results[1], "two host runs must agree bit for bit");
        // same float rounding of the coefficients as the ND4J path: at most a few ulps apart
        double tol = type == DataType.DOUBLE ? 1e-14 : 2e-7;
        assertArrayEquals(results[2].toDoubleVector(), results[0].toDoubleVector(), tol);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"FLOAT", "DOUBLE"})
    void stridedParameter_takesNd4jPath_withTheSameResult(DataType type) {
        INDArray base = Nd4j.rand(type, 6, 8).subi(0.5);
        INDArray col = base.dup().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
        INDArray dense = col.dup();
        var strided = Parameter.withGradient("w", col, col.ulike().assign(0.25), true);
        var plain = new Parameter("w", dense, true);
        plain.gradient().assign(0.25);
        assertFalse(AdamKernel.hostApplies(col, strided.gradient(), dense, dense));
        Optimizer a = make(true, 0.1, 0.1);
        Optimizer b = make(true, 0.1, 0.1);
        a.step(List.of(strided), 0);
        b.step(List.of(plain), 0);
        double tol = type == DataType.DOUBLE ? 1e-14 : 1e-6;
        assertArrayEquals(plain.value().ravel().toDoubleVector(), strided.value().dup().ravel().toDoubleVector(), tol);
    }

    @ParameterizedTest(name = "{0} decoupled={1}")
    @CsvSource({"FLOAT, false", "FLOAT, true", "DOUBLE, true"})
    void hostStep_splitAcrossThreads_isBitIdenticalToOneThread(DataType type, boolean decoupled) {
        // above the kernel's split threshold, not a multiple of its chunk: the last part is short
        int n = AdamKernel.PARALLEL_THRESHOLD * 3 + 123;
        INDArray init = Nd4j.rand(type, n).subi(0.5);
        INDArray grad = Nd4j.rand(type, n).subi(0.5);
        INDArray[] results = new INDArray[2];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            var p = new Parameter("w", init.dup(), true);
            p.gradient().assign(grad);
            Optimizer opt = make(decoupled, 0.05, 0.2);
            for (int k = 0; k < 3; k++) {
                opt.step(List.of(p), k);
            }
            results[threads - 1] = p.value();
        }
        assertFalse(results[0].equals(init), "the update must move the weights");
        assertEquals(results[0], results[1], "one and two threads must agree bit for bit");
    }

    /**
     * The fused kernel's answer to the NaN guard ({@link Optimizer#stepAndFindNonFinite}) against the
     * default's second pass over the written arrays (the ND4J path): the same verdict for an update
     * that overflows the weights (lr 1e39 in float32), one that overflows the second moment (a
     * gradient of 1e30 squared in float32, 1e200 in float64: v infinite, the weights still finite), one whose gradient is already NaN, and a normal one; the finite
     * ones leave the same bits as {@link Optimizer#step}.
     */
    @ParameterizedTest(name = "{0} {1} lr={2} grad={3}")
    @CsvSource({"FLOAT, 5000, 1e39, 0.5, true", "FLOAT, 300000, 0.01, 1e30, true", "FLOAT, 37, 0.01, NaN, true",
            "FLOAT, 300000, 0.01, 0.5, false", "DOUBLE, 5000, 0.01, 1e200, true", "DOUBLE, 5000, 0.01, Infinity, true",
            "DOUBLE, 300000, 0.01, 0.5, false"})
    void stepAndFindNonFinite_fusedCheck_agreesWithSecondPass(DataType type, int n, double lr, double bad,
            boolean expectNonFinite) {
        INDArray init = Nd4j.rand(type, n).subi(0.5);
        INDArray grad = Nd4j.rand(type, n).subi(0.5);
        grad.putScalar(n - 3, bad);
        String[] answers = new String[2];
        INDArray[] after = new INDArray[2];
        for (int path = 0; path < 2; path++) {
            AdamKernel.forceNd4j = path == 1;
            var p = new Parameter("layer.weight", init.dup(), true);
            p.gradient().assign(grad);
            answers[path] = make(true, lr, 0.01).stepAndFindNonFinite(List.of(p), 0);
            after[path] = p.value();
        }
        assertEquals(expectNonFinite ? "layer.weight" : null, answers[0], "fused host kernel");
        assertEquals(expectNonFinite ? "layer.weight" : null, answers[1], "ND4J path with the second pass");
        if (!expectNonFinite) {
            var q = new Parameter("layer.weight", init.dup(), true);
            q.gradient().assign(grad);
            AdamKernel.forceNd4j = false;
            make(true, lr, 0.01).step(List.of(q), 0);
            assertEquals(q.value(), after[0], "checking must not change the update");
        }
    }
}
