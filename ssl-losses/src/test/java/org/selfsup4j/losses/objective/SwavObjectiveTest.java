package org.selfsup4j.losses.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.objective.ObjectiveChecks.assertClose;
import static org.selfsup4j.losses.objective.ObjectiveChecks.gaussian;
import static org.selfsup4j.losses.objective.ObjectiveChecks.linear;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.check.FiniteDifferences;
import org.selfsup4j.core.nn.L2Normalize;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.Sequential;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.SwavLoss;

/** SwAV: prototypes, codes that get no gradient, a queue that fills from a given step, frozen prototypes early. */
class SwavObjectiveTest {
    private static final int N = 4;
    private static final int D = 3;
    private static final int K = 5;
    private static final int CROPS = 3;
    private static final double TAU = 0.1;

    private static List<INDArray> unitRows(List<INDArray> a) {
        List<INDArray> out = new ArrayList<>();
        for (INDArray x : a) {
            out.add(x.divColumnVector(x.norm2(true, 1)));
        }
        return out;
    }

    private static INDArray prototypes(long seed, DataType type) {
        return gaussian(1, K, D, seed, type).get(0);
    }

    /**
     * SwAV's swapped prediction with the codes q held fixed, in plain double loops:
     * {@code 1 / (2 (V - 1) B) sum_a sum_{v != a} sum_b -q_ab . log softmax(z_vb . C / tau)}.
     */
    private static double frozenCodes(List<INDArray> z, INDArray c, INDArray codes) {
        double total = 0;
        for (int a = 0; a < 2; a++) {
            for (int v = 0; v < CROPS; v++) {
                if (v == a) {
                    continue;
                }
                for (int b = 0; b < N; b++) {
                    double[] s = new double[K];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < K; k++) {
                        for (int j = 0; j < D; j++) {
                            s[k] += z.get(v).getDouble(b, j) * c.getDouble(k, j) / TAU;
                        }
                        max = Math.max(max, s[k]);
                    }
                    double sum = 0;
                    for (int k = 0; k < K; k++) {
                        sum += Math.exp(s[k] - max);
                    }
                    for (int k = 0; k < K; k++) {
                        total -= codes.getDouble(a * N + b, k) * (s[k] - max - Math.log(sum));
                    }
                }
            }
        }
        return total / (2.0 * (CROPS - 1) * N);
    }

    @Test
    void embeddingAndPrototypeGradients_matchFiniteDifferencesWithTheCodesFrozen() {
        SwavLoss loss = new SwavLoss(CROPS, TAU, 0.05, 3);
        SwavObjective o = new SwavObjective(prototypes(1, DataType.DOUBLE), loss, 0, 0, 0);
        List<INDArray> z = unitRows(gaussian(CROPS, N, D, 70, DataType.DOUBLE));
        Parameter c = o.parameters().get(0);
        assertEquals(1.0, c.value().norm2(1).maxNumber().doubleValue(), 1e-12, "prototypes normalized");
        c.zeroGradient();
        ObjectiveOutput out = o.compute(z, z, new StepContext(0, 10, 0, 1));
        INDArray codes = loss.codes().dup();
        assertEquals(frozenCodes(z, c.value(), codes), out.loss(), 1e-10);
        for (int v : new int[] {0, 2}) {
            INDArray numeric = FiniteDifferences.gradient(x -> {
                List<INDArray> moved = new ArrayList<>(z);
                moved.set(v, x);
                return frozenCodes(moved, c.value(), codes);
            }, z.get(v).dup());
            assertClose("dL/dz" + v, out.embeddingGradients().get(v).dup(), numeric);
        }
        INDArray analytic = c.gradient().dup();
        assertClose("dL/dC", analytic, FiniteDifferences.gradient(x -> frozenCodes(z, x, codes), c.value()));
    }

    @Test
    void prototypes_getNoGradientWhileFrozen_andAreRenormalizedAfterEachStep() {
        SwavObjective o = new SwavObjective(prototypes(2, DataType.DOUBLE), new SwavLoss(CROPS, TAU, 0.05, 3), 0, 0, 2);
        List<INDArray> z = unitRows(gaussian(CROPS, N, D, 71, DataType.DOUBLE));
        Parameter c = o.parameters().get(0);
        c.zeroGradient();
        o.compute(z, z, new StepContext(1, 10, 0, 1));
        assertEquals(0.0, c.gradient().amaxNumber().doubleValue(), 0.0, "frozen at step 1 of 2");
        o.compute(z, z, new StepContext(2, 10, 0, 1));
        assertTrue(c.gradient().amaxNumber().doubleValue() > 0, "trained from step 2");
        c.value().muli(3.0);
        o.afterOptimizerStep(new StepContext(2, 10, 0, 1));
        assertEquals(1.0, c.value().norm2(1).minNumber().doubleValue(), 1e-12);
    }

    @Test
    void queue_fillsFromItsStartStep_andWidensSinkhornOnceFull() {
        int length = 6;
        SwavObjective o = new SwavObjective(prototypes(3, DataType.DOUBLE), new SwavLoss(CROPS, TAU, 0.05, 3), length,
                1, 0);
        INDArray queue = o.state().get("queue");
        assertEquals(List.of(2L * length, (long) D), List.of(queue.size(0), queue.size(1)));
        List<Double> inUse = new ArrayList<>();
        List<INDArray> last = null;
        for (int s = 0; s < 4; s++) {
            last = unitRows(gaussian(CROPS, N, D, 80 + s, DataType.DOUBLE));
            StepContext ctx = new StepContext(s, 10, 0, 1);
            inUse.add(o.compute(last, last, ctx).metrics().get("queue_in_use"));
            o.afterOptimizerStep(ctx);
        }
        // step 0: before the start; steps 1 and 2 push 4 rows each, so the 6 rows are full from step 3
        assertEquals(List.of(0.0, 0.0, 0.0, 1.0), inUse);
        // newest first: crop 0's and crop 1's features of the last step on top of their blocks
        assertEquals(last.get(0), queue.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, N)));
        assertEquals(last.get(1), queue.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(length, length + N)));
    }

    @Test
    void compute_unnormalizedEmbeddings_throwsNamingTheNorms() {
        SwavObjective o = new SwavObjective(prototypes(4, DataType.DOUBLE), new SwavLoss(CROPS, TAU, 0.05, 3), 0, 0, 0);
        List<INDArray> z = gaussian(CROPS, N, D, 90, DataType.DOUBLE);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> o.compute(z, z, new StepContext(0, 10, 0, 1)));
        assertTrue(ex.getMessage().contains("L2-normalized"), ex.getMessage());
    }

    @Test
    void compute_queueNotLongerThanTheBatch_throws() {
        SwavObjective o = new SwavObjective(prototypes(5, DataType.DOUBLE), new SwavLoss(CROPS, TAU, 0.05, 3), N, 0, 0);
        List<INDArray> z = unitRows(gaussian(CROPS, N, D, 91, DataType.DOUBLE));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> o.compute(z, z, new StepContext(0, 10, 0, 1)));
        assertTrue(ex.getMessage().contains("queue length 4 and batch 4"), ex.getMessage());
    }

    @Test
    void resume_fromASnapshot_continuesBitForBit_queueIncluded() {
        ObjectiveChecks.assertResumesBitExactly(() -> {
            Sequential encoder = new Sequential(linear(6, D, 1, DataType.FLOAT), new L2Normalize());
            return new ObjectiveChecks.Run(encoder, new SwavObjective(prototypes(6, DataType.FLOAT),
                    new SwavLoss(CROPS, TAU, 0.05, 3), 12, 1, 1));
        }, ObjectiveChecks.noisyViews(CROPS, 4, 6, DataType.FLOAT), 4, 3);
    }
}
