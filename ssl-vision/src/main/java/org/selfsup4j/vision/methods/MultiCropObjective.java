package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.NtXentLoss;

/**
 * Multi-crop NT-Xent with the existing two-view kernel: views 0 and 1 are the global crops, the rest
 * local ones ({@link MultiCrop}); every local crop is a positive of its image's global crops. It
 * computes exactly
 * <pre>
 *   P    = {(0, 1)} + {(g, l) : g in {0, 1}, l in 2 .. V-1}        (1 + 2(V - 2) pairs)
 *   loss = (1 / |P|) sum over (a, b) in P of NT-Xent(z_a, z_b)
 * </pre>
 * where each NT-Xent is SimCLR's two-view loss over its own 2N rows: a row's negatives are the other
 * images' crops of that pair only, not of all views (solo-learn's multi-crop SimCLR puts all crops in
 * one similarity matrix). With two views it is {@link org.selfsup4j.losses.objective.SimClrObjective}.
 * Local crops are not contrasted with one another, as SwAV predicts only from global crops.
 */
final class MultiCropObjective implements Objective {
    private final NtXentLoss loss;
    private final List<INDArray> grads = new ArrayList<>();

    /** @param temperature NT-Xent's temperature, &gt; 0 */
    MultiCropObjective(double temperature) {
        this.loss = new NtXentLoss(temperature);
    }

    /** @return the temperature */
    double temperature() {
        return loss.temperature();
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = embeddings.size();
        if (v < 2) {
            throw new IllegalArgumentException("MultiCropObjective: expected 2 global views and local ones, got " + v
                    + " views");
        }
        int pairs = 1 + 2 * (v - 2);
        while (grads.size() < v) {
            grads.add(null);
        }
        boolean[] started = new boolean[v];
        double total = 0;
        double local = 0;
        for (int a = 0; a < 2; a++) {
            for (int b = a + 1; b < v; b++) {
                LossResult r = loss.compute(embeddings.get(a), embeddings.get(b));
                total += r.value();
                local += b >= 2 ? r.value() : 0;
                // the loss reuses its gradient buffers: add them in before the next pair
                accumulate(a, r.gradient(0), started, pairs);
                accumulate(b, r.gradient(1), started, pairs);
            }
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        if (v > 2) {
            terms.put("local_pairs_mean", local / (pairs - 1));
        }
        return new ObjectiveOutput(total / pairs, List.copyOf(grads.subList(0, v)), terms);
    }

    private void accumulate(int view, INDArray g, boolean[] started, int pairs) {
        INDArray acc = grads.get(view);
        if (acc == null || !Arrays.equals(acc.shape(), g.shape()) || acc.dataType() != g.dataType()) {
            acc = g.ulike();
            grads.set(view, acc);
        }
        if (started[view]) {
            acc.addi(g.div(pairs));
        } else {
            acc.assign(g).divi(pairs);
            started[view] = true;
        }
    }

    /** {@code ln(2N - 1)}, each pair's chance level, hence their mean's. */
    @Override
    public double chanceLoss(long batchSize) {
        return Math.log(2.0 * batchSize - 1);
    }
}
