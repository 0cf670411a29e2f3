package org.selfsup4j.losses.objective;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/**
 * A predictor MLP run on the two views' embeddings as one batch, and its backward split back into
 * the two views (SimSiam, MoCo v3, BYOL): the predictor's batch norm then sees both views, as in the
 * references, which call it on each view's batch of the same step. Reuses its buffers.
 */
final class PredictorPass {
    private final Module predictor;
    private final ViewPairs input = new ViewPairs();
    private final ViewPairs gradient = new ViewPairs();

    /** @param predictor the MLP, trained with the encoder */
    PredictorPass(Module predictor) {
        this.predictor = predictor;
    }

    /** {@code predictor([e_1; e_2])}: rows of view 1, then of view 2 ({@link ViewPairs#first}/{@code second}). */
    INDArray forward(INDArray e1, INDArray e2) {
        return predictor.forward(input.concat(e1, e2), true);
    }

    /**
     * @param g1 dLoss/dPrediction of view 1
     * @param g2 of view 2
     * @return dLoss/dEmbedding of view 1 and of view 2 (the predictor's parameter gradients accumulate)
     */
    List<INDArray> backward(INDArray g1, INDArray g2) {
        INDArray g = predictor.backward(gradient.concat(g1, g2));
        return List.of(ViewPairs.first(g), ViewPairs.second(g));
    }

    /** The predictor's parameters under {@code "predictor."}, the names BYOL's checkpoints have always used. */
    List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Parameter p : predictor.parameters()) {
            ps.add(p.prefixed("predictor"));
        }
        return ps;
    }
}
