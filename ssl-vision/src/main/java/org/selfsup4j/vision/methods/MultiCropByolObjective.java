package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.ByolLoss;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.objective.ByolObjective;

/**
 * BYOL with multi-crop, as solo-learn's {@code BYOL.training_step}: the online predictor runs on
 * every crop, the EMA target only on the two global crops (views 0 and 1, {@link MultiCrop}), and
 * every crop's prediction regresses the target projection of each global crop other than itself,
 * <pre>
 *   p_c = predictor(online(x_c))  for all V crops,   z'_g = target(x_g)  for g in {0, 1}
 *   loss = sum_{g in {0, 1}} sum_{c != g} L(p_c, z'_g),   L(p, z) = mean_i 2 - 2 cos(p_i, z_i)
 *   after each step: target = tau_k target + (1 - tau_k) online
 * </pre>
 * ({@code for v1 in range(num_large_crops): for v2 in np.delete(range(num_crops), v1):
 * loss += byol_loss_func(P[v2], Z_momentum[v1])}; a sum over the 2 (V - 1) pairs, not a mean). With
 * V = 2 it is {@link ByolObjective}'s {@code L(p_1, z'_2) + L(p_2, z'_1)}.
 * The predictor sees all crops' embeddings as one batch and the target the global crops as one, as
 * solo-learn does for the target; the target runs in training mode (batch statistics), as BYOL's.
 */
final class MultiCropByolObjective implements Objective {
    /** Views 0 and 1 are the global crops, the only ones the target sees. */
    private static final int GLOBAL_CROPS = 2;

    private final Module predictor;
    private final Module target;
    private final MomentumSchedule momentum;
    /**
     * The two-view objective on the same networks: it owns the EMA copy (which copies the online
     * weights into the target once, here) and the predictor's parameter names, which this one shares.
     */
    private final ByolObjective twoView;
    private final ByolLoss loss = new ByolLoss();
    private INDArray predictorInput;
    private INDArray targetInput;
    private INDArray predictorGrad;

    /**
     * @param online the trainer's encoder (backbone + projector)
     * @param target a second instance of the same architecture; its weights are overwritten with the online ones
     * @param predictor the predictor MLP (trained with the encoder)
     * @param momentum the EMA schedule
     */
    MultiCropByolObjective(Module online, Module target, Module predictor, MomentumSchedule momentum) {
        this.predictor = predictor;
        this.target = target;
        this.momentum = momentum;
        this.twoView = new ByolObjective(online, target, predictor, momentum);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = embeddings.size();
        if (v < GLOBAL_CROPS || inputs.size() != v) {
            throw new IllegalArgumentException("MultiCropByolObjective: expected 2 global views and local ones, with "
                    + "one input per embedding, got " + v + " embeddings and " + inputs.size() + " inputs");
        }
        long n = embeddings.get(0).size(0);
        predictorInput = stack(predictorInput, embeddings, v);
        INDArray p = predictor.forward(predictorInput, true);
        targetInput = stack(targetInput, inputs, GLOBAL_CROPS);
        INDArray z = target.forward(targetInput, true);
        if (predictorGrad == null || !Arrays.equals(predictorGrad.shape(), p.shape())
                || predictorGrad.dataType() != p.dataType()) {
            predictorGrad = p.ulike();
        }
        predictorGrad.assign(0);
        double total = 0;
        for (int g = 0; g < GLOBAL_CROPS; g++) {
            for (int c = 0; c < v; c++) {
                if (c != g) {
                    LossResult r = loss.compute(rows(p, c, n), rows(z, g, n));
                    total += r.value();
                    // the loss reuses its gradient buffer: add it in before the next pair
                    rows(predictorGrad, c, n).addi(r.gradient(0));
                }
            }
        }
        INDArray gradE = predictor.backward(predictorGrad);
        List<INDArray> grads = new ArrayList<>(v);
        for (int c = 0; c < v; c++) {
            grads.add(rows(gradE, c, n));
        }
        return new ObjectiveOutput(total, grads, Map.of("tau", momentum.at(context.step())));
    }

    /** The first {@code count} arrays stacked along the batch axis into {@code buffer} (remade on a new shape). */
    private static INDArray stack(INDArray buffer, List<INDArray> arrays, int count) {
        long n = arrays.get(0).size(0);
        long[] shape = arrays.get(0).shape().clone();
        shape[0] = n * count;
        if (buffer == null || !Arrays.equals(buffer.shape(), shape) || buffer.dataType() != arrays.get(0).dataType()) {
            buffer = Nd4j.create(arrays.get(0).dataType(), shape);
        }
        for (int k = 0; k < count; k++) {
            rows(buffer, k, n).assign(arrays.get(k));
        }
        return buffer;
    }

    private static INDArray rows(INDArray a, int k, long n) {
        return a.get(NDArrayIndex.interval(k * n, (k + 1) * n));
    }

    /** The predictor's parameters, named as {@link ByolObjective} names them. */
    @Override
    public List<Parameter> parameters() {
        return twoView.parameters();
    }

    @Override
    public Map<String, INDArray> state() {
        return twoView.state();
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        twoView.afterOptimizerStep(context);
    }
}
