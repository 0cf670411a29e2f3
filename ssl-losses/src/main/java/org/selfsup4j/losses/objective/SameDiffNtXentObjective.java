package org.selfsup4j.losses.objective;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.NtXentLoss;

/**
 * SimCLR's NT-Xent objective (Chen et al. 2020) written with plain SameDiff ops: the graph
 * counterpart of {@link SimClrObjective} (whose {@link NtXentLoss} kernel is
 * the fast path), kept as a reference and for the SameDiff-vs-kernel training-step benchmark.
 *
 * <pre>
 *   u_i   = z_i / ||z_i||                       over the 2N rows of [z1; z2]
 *   s_ij  = u_i . u_j / tau,  s_ii = -inf       (self excluded)
 *   loss  = mean_i  -log( exp(s_i,p(i)) / sum_{j != i} exp(s_ij) ),  p(i) = i +- N
 * </pre>
 *
 * <p>Inputs: exactly two views of embeddings {@code [N, D]}. The self-similarity is removed by
 * subtracting {@code 1e9} on the diagonal, a placeholder mask (M2.1's {@code setDiag} crashes and
 * {@code eye(SDVariable)} fails validation); the cross-entropy uses one-hot
 * {@code softmaxCrossEntropy} (the sparse variant's gradient is wrong in M2.1).
 */
public final class SameDiffNtXentObjective implements Objective {
    /** SimCLR's temperature for its CIFAR-10 experiments. */
    public static final double DEFAULT_TEMPERATURE = NtXentLoss.CIFAR_TEMPERATURE;
    private static final double MASK = 1e9;

    private final double temperature;
    private SameDiff sd;
    private long builtFor = -1;
    private long builtDim = -1;
    private INDArray view1;
    private INDArray view2;
    private DataType builtType;
    private INDArray selfMask;
    private INDArray positives;

    /** @param temperature tau &gt; 0 */
    public SameDiffNtXentObjective(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("SameDiffNtXentObjective: temperature must be positive and finite, got "
                    + temperature);
        }
        this.temperature = temperature;
    }

    /** {@code ln(2N - 1)}: each of the 2N rows picks its positive among 2N - 1 candidates. */
    @Override
    public double chanceLoss(long batchSize) {
        return Math.log(2.0 * batchSize - 1);
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        if (embeddings.size() != 2) {
            throw new IllegalArgumentException("SameDiffNtXentObjective.compute: expected 2 views, got " + embeddings.size());
        }
        INDArray z1 = embeddings.get(0);
        INDArray z2 = embeddings.get(1);
        if (z1.rank() != 2 || !java.util.Arrays.equals(z1.shape(), z2.shape())) {
            throw new IllegalArgumentException("SameDiffNtXentObjective.compute: views must be [N, D] of the same shape, got "
                    + java.util.Arrays.toString(z1.shape()) + " and " + java.util.Arrays.toString(z2.shape()));
        }
        long n = z1.size(0);
        if (n < 2) {
            throw new IllegalArgumentException("SameDiffNtXentObjective.compute: need N >= 2 rows per view, got " + n);
        }
        ensureGraph(n, z1.size(1), z1.dataType());
        view1.assign(z1);
        view2.assign(z2);
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("selfMask", selfMask);
        feed.put("positives", positives);
        var result = sd.calculateGradientsAndOutputs(feed, List.of("loss"), List.of("z1", "z2"));
        double loss = result.getOutputs().get("loss").getDouble(0);
        Map<String, INDArray> grads = result.getGradients();
        return new ObjectiveOutput(loss, List.of(grads.get("z1"), grads.get("z2")));
    }

    private void ensureGraph(long n, long d, DataType type) {
        if (sd != null && builtFor == n && builtDim == d && builtType == type) {
            return;
        }
        sd = SameDiff.create();
        // The views enter as VARIABLEs, not placeholders: M2.1 differentiates only with respect to
        // variables. Their arrays are this objective's buffers, refilled every step.
        view1 = Nd4j.create(type, n, d);
        view2 = Nd4j.create(type, n, d);
        SDVariable z1 = sd.var("z1", view1);
        SDVariable z2 = sd.var("z2", view2);
        SDVariable mask = sd.placeHolder("selfMask", type, 2 * n, 2 * n);
        SDVariable labels = sd.placeHolder("positives", type, 2 * n, 2 * n);
        SDVariable z = sd.concat(0, z1, z2);
        SDVariable u = z.div(z.norm2(true, 1).add(1e-12));
        SDVariable logits = u.mmul(sd.transpose(u)).div(temperature).sub(mask);
        sd.loss().softmaxCrossEntropy("loss", labels, logits, null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
        sd.setLossVariables("loss");
        selfMask = Nd4j.eye(2 * n).castTo(type).muli(MASK);
        positives = Nd4j.zeros(type, 2 * n, 2 * n);
        for (long i = 0; i < n; i++) {
            positives.putScalar(i, i + n, 1.0);
            positives.putScalar(i + n, i, 1.0);
        }
        builtFor = n;
        builtDim = d;
        builtType = type;
    }
}
