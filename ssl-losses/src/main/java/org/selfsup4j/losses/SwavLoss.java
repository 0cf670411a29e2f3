package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;

/**
 * SwAV's swapped prediction loss: codes from Sinkhorn-Knopp on the two global crops' prototype
 * scores, each predicted by every other crop.
 *
 * <pre>
 *   S = z C^T                        scores [V B, K]; z and the prototypes C L2-normalized rows
 *   codes of assignment crop a in {0, 1} (no gradient):
 *     Q = exp(S_a' / eps)^T,  S_a' = [queue scores of a; S_a]       [K, M], M = L + B
 *     Q &lt;- Q / sum(Q)
 *     repeat T times:  Q &lt;- Q / (K rowSums(Q));   Q &lt;- Q / (M colSums(Q))
 *     q_a = (M Q)^T, last B rows                                   each row sums to 1
 *   L = 1 / 2 sum_{a = 0, 1} 1 / (V - 1) sum_{v != a} (1 / B) sum_b -q_{a,b} . log softmax(S_{v,b} / tau)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>scores (index 0), all V crops, crop-major (2 global first)</td><td>[V B, K]</td><td>[V B, K]</td></tr>
 *   <tr><td>queueScores (optional), the queued features of crops 0 and 1 against the current prototypes, crop-major</td><td>[2 L, K]</td><td>none</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Chain rule (the objective's part): with {@code G = dL/dS} from this loss and
 * {@code S = u W^T}, {@code u = z / |z|}, {@code W = C / |C|}, the gradients are
 * {@code dL/du = G W} and {@code dL/dW = G^T u}, then through the row normalizations
 * ({@code RowL2Normalizer}'s backward). The reference normalizes the prototypes' weights in place
 * before each forward and so back-propagates into W as it stands, not through its normalization.
 *
 * <p>Queue: when given, the queue's scores are prepended to each assignment crop's scores for
 * Sinkhorn only (they widen the batch the equipartition constraint sees); only the last B codes
 * are used and the queue gets no gradient. Keeping the queue of features (a FIFO of the last L
 * normalized {@code z} of crops 0 and 1) and scoring it against the current prototypes is the
 * objective's part, as in the reference.
 *
 * <p>Paper: M. Caron, I. Misra, J. Mairal, P. Goyal, P. Bojanowski, A. Joulin, "Unsupervised Learning
 * of Visual Features by Contrasting Cluster Assignments", NeurIPS 2020; reference:
 * facebookresearch/swav {@code main_swav.py} ({@code distributed_sinkhorn}, the loss in
 * {@code train}). Deviations: the exponentials are shifted by the maximum score before Sinkhorn
 * (the codes are invariant to it; the reference's unit scores never overflow at eps = 0.05 but other
 * inputs could), and the predictions' shifted logits are floored at -60 as DINO's (a term below 1e-26
 * of its row's largest); single device (the reference all-reduces the sums). Buffers are kept between
 * calls; gradients and {@link #codes()} are valid until the next {@code compute}; not thread-safe.
 */
public final class SwavLoss {
    /** The softmax temperature tau of the predictions ({@code temperature}). */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    /** Sinkhorn's regularization eps ({@code epsilon}). */
    public static final double DEFAULT_EPSILON = 0.05;
    /** Sinkhorn-Knopp iterations, fixed ({@code sinkhorn_iterations}). */
    public static final int DEFAULT_SINKHORN_ITERATIONS = 3;
    /** Prototypes K of the ImageNet recipes ({@code nmb_prototypes}). */
    public static final int DEFAULT_PROTOTYPES = 3000;
    /** Crops of the multi-crop recipes ({@code nmb_crops 2 6}: 2 global + 6 local). */
    public static final int DEFAULT_CROPS = 8;
    /** Queue length of the small-batch ImageNet recipe ({@code queue_length}; 0 = no queue, the flag's default). */
    public static final int RECIPE_QUEUE_LENGTH = 3840;
    /** The assignment crops, fixed: the two global crops ({@code crops_for_assign 0 1}). */
    public static final int ASSIGNMENT_CROPS = 2;

    private static final String WHERE = "SwavLoss.compute";

    private final int crops;
    private final double temperature;
    private final double epsilon;
    private final int iterations;
    private final MultiCropCrossEntropy crossEntropy = new MultiCropCrossEntropy();
    private Sinkhorn sinkhorn;
    private INDArray codes;

    /** With SwAV's defaults: 2 + 6 crops, tau 0.1, eps 0.05, 3 iterations. */
    public SwavLoss() {
        this(DEFAULT_CROPS, DEFAULT_TEMPERATURE, DEFAULT_EPSILON, DEFAULT_SINKHORN_ITERATIONS);
    }

    /**
     * @param crops V &ge; 2, all crops (the 2 global first)
     * @param temperature tau &gt; 0
     * @param epsilon Sinkhorn's eps &gt; 0
     * @param iterations Sinkhorn-Knopp iterations &ge; 1 (fixed count, no convergence test)
     */
    public SwavLoss(int crops, double temperature, double epsilon, int iterations) {
        this.crops = (int) Checks.inRange("SwavLoss", "crops V", crops, ASSIGNMENT_CROPS, Integer.MAX_VALUE);
        this.temperature = Checks.positive("SwavLoss", "temperature", temperature);
        this.epsilon = Checks.positive("SwavLoss", "epsilon", epsilon);
        this.iterations = Checks.positive("SwavLoss", "iterations", iterations);
    }

    /** The number of crops V. */
    public int crops() {
        return crops;
    }

    /** Sinkhorn-Knopp's fixed iteration count. */
    public int iterations() {
        return iterations;
    }

    /** As {@link #compute(INDArray, INDArray)} without a queue. */
    public LossResult compute(INDArray scores) {
        return compute(scores, null);
    }

    /**
     * The loss and its gradient with respect to {@code scores} (index 0).
     *
     * @param scores [V B, K], crop-major
     * @param queueScores null, or [2 L, K]: the L queued features of crop 0, then of crop 1, scored
     *        against the current prototypes
     * @throws IllegalArgumentException if a shape or data type is wrong
     */
    public LossResult compute(INDArray scores, INDArray queueScores) {
        Checks.matrix(WHERE, "scores", scores);
        if (scores.size(0) % crops != 0) {
            throw new IllegalArgumentException(WHERE + ": scores must be [V B, K] with V = " + crops
                    + " crops, got " + Checks.shape(scores) + " (rows not divisible by " + crops + ")");
        }
        Checks.intSize(WHERE, "V B K", scores.length());
        int b = (int) (scores.size(0) / crops);
        int k = (int) scores.size(1);
        int queue = 0;
        if (queueScores != null) {
            Checks.matrix(WHERE, "queueScores", queueScores);
            Checks.sameType(WHERE, "scores", scores, "queueScores", queueScores);
            if (queueScores.size(1) != k || queueScores.size(0) % ASSIGNMENT_CROPS != 0) {
                throw new IllegalArgumentException(WHERE + ": queueScores must be [2 L, " + k
                        + "] (L queued features of each assignment crop), got " + Checks.shape(queueScores));
            }
            queue = Checks.intSize(WHERE, "L", queueScores.size(0) / ASSIGNMENT_CROPS);
        }
        DataType type = scores.dataType();
        if (sinkhorn == null || !sinkhorn.fits(type, queue + b, k)) {
            sinkhorn = new Sinkhorn(type, queue + b, k);
            codes = Nd4j.createUninitialized(type, (long) ASSIGNMENT_CROPS * b, k);
        }
        for (int a = 0; a < ASSIGNMENT_CROPS; a++) {
            INDArray own = rows(scores, (long) a * b, (long) (a + 1) * b);
            INDArray queued = queue == 0 ? null : rows(queueScores, (long) a * queue, (long) (a + 1) * queue);
            sinkhorn.codes(queued, own, epsilon, iterations, rows(codes, (long) a * b, (long) (a + 1) * b));
        }
        double value = crossEntropy.compute(scores, codes, crops, temperature);
        return new LossResult(value, Map.of(), crossEntropy.gradient());
    }

    /** The codes q of the last call, [2 B, K] (crop 0 then crop 1), each row summing to 1. */
    public INDArray codes() {
        return codes;
    }

    static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * Sinkhorn-Knopp on [M, K] (samples x prototypes, the transpose of the reference's K x M):
     * the reference's row sums (over samples, per prototype) are this layout's column sums.
     */
    private static final class Sinkhorn extends BufferPlan {
        final INDArray q;
        final INDArray rowSum;

        Sinkhorn(DataType type, int m, int k) {
            super(type, m, k);
            q = buffer(m, k);
            rowSum = buffer(m, 1);
        }

        void codes(INDArray queued, INDArray own, double epsilon, int iterations, INDArray out) {
            int queue = n - (int) own.size(0);
            if (queued != null) {
                rows(q, 0, queue).assign(queued);
            }
            INDArray tail = rows(q, queue, n);
            tail.assign(own);
            double max = q.maxNumber().doubleValue();
            // exp((s - max) / eps): the same codes as exp(s / eps) after the first normalization
            q.subi(max).muli(1.0 / epsilon);
            FloatKernels.expRowSums(q, rowSum);
            q.divi(rowSum.sumNumber().doubleValue());
            for (int it = 0; it < iterations; it++) {
                // per prototype: total mass 1 / K; per sample: 1 / M
                q.diviRowVector(q.sum(true, 0).muli(d));
                q.diviColumnVector(q.sum(true, 1).muli(n));
            }
            out.assign(tail).muli(n);
        }
    }
}
