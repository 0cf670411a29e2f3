package org.selfsup4j.core.train;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A small, modality-free test objective for the trainer's tests, so that core's tests need no
 * method's loss: each row of view 1 must pick out its own row of view 2 among the batch,
 * <pre>
 *   s_ij = z1_i . z2_j / tau        loss = mean_i -log( exp(s_ii) / sum_j exp(s_ij) )
 * </pre>
 * with the exact gradient {@code G = (softmax_rows(S) - I) / N}, {@code dz1 = G z2 / tau},
 * {@code dz2 = G^T z1 / tau}. Chance level is {@code ln N}. Plain ND4J ops, deterministic, in the
 * embeddings' data type.
 */
final class MatchingViewsObjective implements Objective {
    private final double temperature;

    MatchingViewsObjective(double temperature) {
        this.temperature = temperature;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        if (embeddings.size() != 2) {
            throw new IllegalArgumentException("MatchingViewsObjective.compute: expected 2 views, got "
                    + embeddings.size());
        }
        INDArray z1 = embeddings.get(0);
        INDArray z2 = embeddings.get(1);
        long n = z1.size(0);
        INDArray logits = z1.mmul(z2.transpose()).divi(temperature);
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray logSum = Transforms.log(sum, true);
        double loss = 0;
        for (long i = 0; i < n; i++) {
            loss += logSum.getDouble(i, 0) - shifted.getDouble(i, i);
        }
        loss /= n;
        INDArray g = exp.divColumnVector(sum).subi(Nd4j.eye(n).castTo(z1.dataType())).divi(n);
        INDArray dz1 = g.mmul(z2).divi(temperature);
        INDArray dz2 = g.transpose().mmul(z1).divi(temperature);
        return new ObjectiveOutput(loss, List.of(dz1, dz2));
    }

    /** Each row picks its partner among N rows: ln N when the embeddings carry no information. */
    @Override
    public double chanceLoss(long batchSize) {
        return Math.log(batchSize);
    }
}
