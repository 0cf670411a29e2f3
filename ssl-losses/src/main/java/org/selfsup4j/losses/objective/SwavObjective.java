package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.NdArrays;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.LossResult;
import org.selfsup4j.losses.SwavLoss;

/**
 * SwAV (Caron et al., "Unsupervised Learning of Visual Features by Contrasting Cluster Assignments",
 * NeurIPS 2020): the L2-normalized projections of every crop are scored against K prototypes; codes
 * from Sinkhorn-Knopp on the two global crops' scores (widened by a queue of past features) are
 * predicted by every other crop.
 *
 * <pre>
 *   z_v = encoder(x_v) (unit rows),  C: prototypes [K, D], unit rows,  S_v = z_v C^T
 *   loss = SwavLoss(S, queue C^T)       (swapped prediction over the 2 (V - 1) pairs; see {@link SwavLoss})
 *   dL/dz = G C,  dL/dC = G^T z         (G = dL/dS; C gets none for the first F steps)
 *   after each step: C = C / ||C|| row-wise;  from step Q on, push z_0 and z_1 onto the queue
 * </pre>
 *
 * <p>As the reference ({@code main_swav.py}): the encoder ends with the L2 normalization (the
 * reference model's {@code l2norm}), so its outputs must be unit rows (checked); the prototypes are
 * re-normalized before every forward (here: at construction and after every optimizer step, the
 * same sequence) and the gradient reaches them as they stand, not through the normalization; their
 * gradient is dropped for the first {@code freezePrototypeSteps} steps ({@code freeze_prototypes_niters});
 * the queue is filled from step {@code queueStartStep} on ({@code epoch_queue_starts}) and widens
 * Sinkhorn's batch once full. The prototypes get no weight decay: every step re-normalizes their
 * rows, so decay would only rescale what the normalization undoes, and with no gradient (frozen) a
 * momentum optimizer leaves them exactly where they are.
 *
 * <p>State: the queue ({@code "queue"}), a live array the checkpoint saves; the prototypes are a
 * parameter ({@code "prototypes"}). Single device (the reference all-reduces Sinkhorn's sums).
 */
public final class SwavObjective implements Objective {
    /** How far from 1 an embedding row's norm may be: float32 rounding, not an unnormalized encoder. */
    public static final double UNIT_NORM_TOLERANCE = 1e-3;
    private static final String WHO = "SwavObjective";

    private final Parameter prototypes;
    private final SwavLoss loss;
    private final SwavQueue queue;
    private final long queueStartStep;
    private final long freezePrototypeSteps;
    private final CropStack stack = new CropStack();
    private INDArray z;
    private INDArray scores;
    private INDArray queueScores;
    private INDArray gradZ;
    private boolean pushPending;

    /**
     * @param prototypes the initial prototypes {@code [K, D]}, owned and updated in place from now on;
     *                   their rows are normalized here
     * @param loss SwAV's loss with its crop count V, tau, eps and Sinkhorn iterations
     * @param queueLength L features per assignment crop, 0 for no queue
     * @param queueStartStep the step from which the queue is filled
     * @param freezePrototypeSteps the steps during which the prototypes get no gradient
     */
    public SwavObjective(INDArray prototypes, SwavLoss loss, int queueLength, long queueStartStep,
                         long freezePrototypeSteps) {
        Checks.matrix(WHO, "prototypes", prototypes);
        Checks.floatType(WHO, prototypes.dataType());
        this.prototypes = new Parameter("prototypes", prototypes, false);
        this.loss = Checks.notNull(WHO, "loss", loss);
        Checks.nonNegative(WHO, "queueLength", queueLength);
        this.queue = queueLength == 0 ? null
                : new SwavQueue(queueLength, (int) prototypes.size(1), prototypes.dataType());
        this.queueStartStep = Checks.nonNegative(WHO, "queueStartStep", queueStartStep);
        this.freezePrototypeSteps = Checks.nonNegative(WHO, "freezePrototypeSteps", freezePrototypeSteps);
        normalizePrototypes();
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = loss.crops();
        if (embeddings.size() != v) {
            throw new IllegalArgumentException(WHO + ": expected " + v + " crops (2 global first, then local), got "
                    + embeddings.size());
        }
        INDArray c = prototypes.value();
        INDArray first = embeddings.get(0);
        if (first.rank() != 2 || first.size(1) != c.size(1) || first.dataType() != c.dataType()) {
            throw new IllegalArgumentException(WHO + ": embeddings must be [B, " + c.size(1) + "] " + c.dataType()
                    + " (the prototypes' width and type), got " + Checks.shape(first) + " " + first.dataType());
        }
        long b = first.size(0);
        if (queue != null && b >= queue.length()) {
            throw new IllegalArgumentException(WHO + ": the queue must be longer than the batch, got queue length "
                    + queue.length() + " and batch " + b);
        }
        z = stack.stack(WHO, embeddings, v);
        requireUnitRows(z);
        scores = gemm(z, c, false, true, scores);
        boolean useQueue = queue != null && context.step() >= queueStartStep && queue.full();
        if (useQueue) {
            queueScores = gemm(queue.rows(), c, false, true, queueScores);
        }
        LossResult r = loss.compute(scores, useQueue ? queueScores : null);
        INDArray g = r.gradient(0);
        gradZ = gemm(g, c, false, false, gradZ);
        if (context.step() >= freezePrototypeSteps) {
            Nd4j.gemm(g, z, prototypes.gradient(), true, false, 1.0, 1.0);
        }
        pushPending = queue != null && context.step() >= queueStartStep;
        return new ObjectiveOutput(r.value(), CropStack.split(gradZ, v, b), Map.of("queue_in_use", useQueue ? 1.0 : 0.0));
    }

    private static INDArray gemm(INDArray a, INDArray b, boolean ta, boolean tb, INDArray out) {
        long rows = ta ? a.size(1) : a.size(0);
        long cols = tb ? b.size(0) : b.size(1);
        return Nd4j.gemm(a, b, NdArrays.reuse(out, a.dataType(), rows, cols), ta, tb, 1.0, 0.0);
    }

    private static void requireUnitRows(INDArray z) {
        INDArray norms = z.norm2(1);
        double low = norms.minNumber().doubleValue();
        double high = norms.maxNumber().doubleValue();
        if (!(Math.abs(low - 1) <= UNIT_NORM_TOLERANCE && Math.abs(high - 1) <= UNIT_NORM_TOLERANCE)) {
            throw new IllegalArgumentException(WHO + ": embeddings must be L2-normalized rows (the encoder ends with "
                    + "the normalization, as SwAV's l2norm), got row norms in [" + low + ", " + high + "]");
        }
    }

    private void normalizePrototypes() {
        INDArray c = prototypes.value();
        // F.normalize's floor on the norm
        c.diviColumnVector(Transforms.max(c.norm2(true, 1), 1e-12, false));
    }

    /** The prototypes, {@code [K, D]}. */
    @Override
    public List<Parameter> parameters() {
        return List.of(prototypes);
    }

    /** The queue's rows under {@code "queue"} (none without a queue). */
    @Override
    public Map<String, INDArray> state() {
        return queue == null ? Map.of() : Map.of("queue", queue.rows());
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        normalizePrototypes();
        if (pushPending) {
            queue.push(CropStack.rows(z, 0, 2 * (z.size(0) / loss.crops())));
            pushPending = false;
        }
    }
}
