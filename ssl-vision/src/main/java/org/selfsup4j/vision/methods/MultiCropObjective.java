package org.selfsup4j.vision.methods;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.MultiCropNtXentLoss;

/**
 * SimCLR's multi-crop loss: {@link MultiCropNtXentLoss} over all crops at once (views 0 and 1 the
 * global crops, the rest local ones, {@link MultiCrop}), as solo-learn's SimCLR with multi-crop: one
 * similarity matrix of all V N crop embeddings, every crop an anchor whose positives are its image's
 * other V - 1 crops and whose negatives are every crop of the other images,
 * <pre>
 *   loss = (1 / VN) sum_r -log( sum_{c in P(r)} exp(s_rc) / sum_{c != r} exp(s_rc) )
 * </pre>
 * With two views it is {@link org.selfsup4j.losses.objective.SimClrObjective}'s NT-Xent.
 *
 * <p>Logged terms: {@code global_anchors_mean} and {@code local_anchors_mean}, the loss averaged
 * over the rows of the global and of the local crops (the loss is their mean weighted by 2 and V - 2).
 */
final class MultiCropObjective implements Objective {
    /** Views 0 and 1 are the global crops. */
    private static final int GLOBAL_CROPS = 2;

    private final MultiCropNtXentLoss loss;
    private int crops = GLOBAL_CROPS;

    /** @param temperature NT-Xent's temperature, &gt; 0 */
    MultiCropObjective(double temperature) {
        this.loss = new MultiCropNtXentLoss(temperature);
    }

    /** @return the temperature */
    double temperature() {
        return loss.temperature();
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = embeddings.size();
        if (v < GLOBAL_CROPS) {
            throw new IllegalArgumentException("MultiCropObjective: expected 2 global views and local ones, got " + v
                    + " views");
        }
        crops = v;
        LossResult r = loss.compute(embeddings);
        Map<String, Double> terms = new LinkedHashMap<>();
        if (v > GLOBAL_CROPS) {
            double global = 0;
            double local = 0;
            for (int c = 0; c < v; c++) {
                double mean = r.terms().get(MultiCropNtXentLoss.cropTerm(c));
                if (c < GLOBAL_CROPS) {
                    global += mean / GLOBAL_CROPS;
                } else {
                    local += mean / (v - GLOBAL_CROPS);
                }
            }
            terms.put("global_anchors_mean", global);
            terms.put("local_anchors_mean", local);
        }
        INDArray[] grads = new INDArray[v];
        for (int c = 0; c < v; c++) {
            grads[c] = r.gradient(c);
        }
        return new ObjectiveOutput(r.value(), List.of(grads), terms);
    }

    /** {@link MultiCropNtXentLoss#chanceLoss} for the crops of the latest step (2 before the first). */
    @Override
    public double chanceLoss(long batchSize) {
        return MultiCropNtXentLoss.chanceLoss(batchSize, crops);
    }
}
