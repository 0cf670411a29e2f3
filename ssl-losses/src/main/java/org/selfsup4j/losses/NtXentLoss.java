package org.selfsup4j.losses;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.HostArrays;

/**
 * SimCLR's normalized temperature-scaled cross-entropy between two views of a batch.
 *
 * <pre>
 *   u_r  = z_r / max(||z_r||, 1e-12)          for the 2N rows r of [z1; z2]
 *   s_rc = u_r . u_c / tau
 *   p(r) = r + N (r &lt; N), r - N (r &gt;= N)     the other view of the same sample
 *   L    = (1 / 2N) sum_r [ -s_{r,p(r)} + log sum_{c != r} exp(s_rc) ]
 * </pre>
 * Each row's positive is its partner view; the other {@code 2N - 2} rows are its negatives; the row
 * itself is excluded from the denominator.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>z1 (index 0)</td><td>[N, D], N &ge; 2</td><td>[N, D]</td></tr>
 *   <tr><td>z2 (index 1)</td><td>[N, D]</td><td>[N, D]</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: mean over the 2N rows (both directions, as SimCLR and lightly's {@code NTXentLoss}).
 * Also known as: NT-Xent, the SimCLR loss, a symmetric InfoNCE with in-batch negatives.
 * Paper: T. Chen, S. Kornblith, M. Norouzi, G. Hinton, "A Simple Framework for Contrastive Learning
 * of Visual Representations", ICML 2020.
 *
 * <p>Deviations: none in the value. The inputs are normalized here (as lightly does), so pass raw
 * projections. Unit rows bound every similarity by 1/tau, so for tau &ge; 1/40 (float32; 1/300 for
 * float64) the exponentials are taken unshifted; below that the log-sum-exp subtracts each row's
 * maximum (or, when the rows' maxima lie close together, the overall maximum), so small
 * temperatures stay finite. Either way a shared (or no) shift keeps the exponentials symmetric,
 * which saves a GEMM in the backward pass. Float32 exponentials use the JDK's vectorized exp when
 * the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@code FloatKernels}).
 * Buffers ({@code [2N, 2N]} similarities, {@code [2N, D]} normalized rows and gradients) are kept
 * between calls; gradients are valid until the next {@code compute} on this instance.
 */
public final class NtXentLoss implements TwoViewLoss {
    /** The temperature of SimCLR's ablation optimum for large batches (Table 5 of the paper). */
    public static final double DEFAULT_TEMPERATURE = 0.1;
    /** The temperature SimCLR used for CIFAR-10 (appendix B.9). */
    public static final double CIFAR_TEMPERATURE = 0.5;

    private static final String WHERE = "NtXentLoss.compute";

    private final double temperature;
    private final BufferPlan.Cache<Plan> plans = new BufferPlan.Cache<>(Plan::new);
    /** Tests turn the shared shift off to exercise the per-row path on ordinary inputs. */
    boolean sharedShiftAllowed = true;

    /** @param temperature tau &gt; 0 */
    public NtXentLoss(double temperature) {
        this.temperature = Checks.positive("NtXentLoss", "temperature", temperature);
    }

    /** The temperature tau. */
    public double temperature() {
        return temperature;
    }

    /**
     * The loss and its gradients with respect to {@code z1} (index 0) and {@code z2} (index 1).
     *
     * @throws IllegalArgumentException if the arguments are not rank 2, differ in shape or data
     *         type, or have fewer than 2 rows (no negatives)
     */
    @Override
    public LossResult compute(INDArray z1, INDArray z2) {
        Plan p = plans.forPair(WHERE, "z1", z1, "z2", z2, 2, "each row needs at least one negative");
        int n = p.n;
        int m = 2 * n;

        p.top.assign(z1);
        p.bottom.assign(z2);
        p.norm.forward(p.u);

        // Similarities; the diagonal (self) gets -inf so it drops out of max and of the exp-sum.
        Nd4j.gemm(p.u, p.u, p.sim, false, true, 1.0 / temperature, 0.0);
        double positives = maskDiagonalSumPositives(p);
        boolean shared;
        double shift;
        if (sharedShiftAllowed && 1.0 / temperature <= unshiftedLimit(p.type)) {
            // Unit rows bound every similarity by 1/tau, so exp(s) can neither overflow nor underflow:
            // no shift at all (one pass over the matrix fewer), and E = exp(s) stays symmetric.
            shared = true;
            shift = 0;
        } else {
            INDArray rowMax = p.sim.max(true, 1);
            double hi = rowMax.maxNumber().doubleValue();
            double lo = rowMax.minNumber().doubleValue();
            // One shift for the whole matrix keeps E = exp(s - shift) symmetric, which lets the
            // backward pass use a single GEMM; it is safe while no row's maximum lies so far below
            // the shift that the row's exponentials underflow. Otherwise shift each row by its own maximum.
            shared = sharedShiftAllowed && hi - lo <= (p.type == DataType.DOUBLE ? 600 : 40);
            if (shared) {
                p.sim.subi(hi);
                shift = hi * m;
            } else {
                p.sim.subiColumnVector(rowMax);
                shift = rowMax.sumNumber().doubleValue();
            }
        }
        INDArray rowSum = p.rowSum;
        FloatKernels.expRowSums(p.sim, rowSum);
        double logSums = sumOfLogs(p);
        double value = (logSums + shift - positives) / m;

        // dL/ds = G = (diag(1/r) E - Y) / 2N with E the exponentials, r their row sums, Y the positives'
        // one-hot (a symmetric permutation); s = u u^T / tau, so
        // dL/du = (G + G^T) u / tau = (diag(1/r) E u + E^T diag(1/r) u - 2 Y u) / (2N tau).
        // Scaling the [2N, D] factors instead of E saves a pass over the [2N, 2N] matrix.
        double alpha = 1.0 / (temperature * m);
        if (shared && FloatKernels.ntXentOperand(p.u, p.w, rowSum)) {
            // Float32 fast path of the branch below: the row scalings and the positives' term are
            // fused into two passes over [2N, D] instead of some ten ND4J ops.
            Nd4j.gemm(p.sim, p.w, p.x, false, false, alpha, 0.0);
            if (FloatKernels.ntXentCombine(p.x, rowSum, p.u, p.du, 2 * alpha)) {
                p.norm.backward(p.u, p.du, p.tmp);
                return new LossResult(value, Map.of(), p.duTop, p.duBottom);
            }
            p.du.assign(p.xLeft).diviColumnVector(rowSum).addi(p.xRight);
        } else if (shared) {
            // E^T = E: one GEMM E [u | diag(1/r) u] gives both products.
            p.wLeft.assign(p.u);
            p.wRight.assign(p.u).diviColumnVector(rowSum);
            Nd4j.gemm(p.sim, p.w, p.x, false, false, alpha, 0.0);
            p.du.assign(p.xLeft).diviColumnVector(rowSum).addi(p.xRight);
        } else {
            Nd4j.gemm(p.sim, p.u, p.du, false, false, alpha, 0.0);
            p.du.diviColumnVector(rowSum);
            p.tmp.assign(p.u).diviColumnVector(rowSum);
            Nd4j.gemm(p.sim, p.tmp, p.du, true, false, alpha, 1.0);
        }
        p.tmpTop.assign(p.bottom);
        p.tmpBottom.assign(p.top);
        p.du.subi(p.tmp.muli(2 * alpha));
        p.norm.backward(p.u, p.du, p.tmp);
        return new LossResult(value, Map.of(), p.duTop, p.duBottom);
    }

    /**
     * Sets the diagonal of the similarities to -inf and returns the sum of the positives' logits.
     * Dense host matrices: 2N element reads and writes through the buffer (libnd4j's strided assign and
     * two reductions cost some 100 us of fixed overhead at N = 64, more than the arithmetic).
     */
    private static double maskDiagonalSumPositives(Plan p) {
        int m = 2 * p.n;
        if (HostArrays.dense(p.type, p.sim)) {
            int s0 = HostArrays.start(p.sim);
            double pos = 0;
            if (p.type == DataType.FLOAT) {
                FloatBuffer sim = HostArrays.floats(p.sim);
                for (int r = 0; r < m; r++) {
                    sim.put(s0 + r * (m + 1), Float.NEGATIVE_INFINITY);
                    pos += sim.get(s0 + r * m + (r < p.n ? r + p.n : r - p.n));
                }
            } else {
                DoubleBuffer sim = HostArrays.doubles(p.sim);
                for (int r = 0; r < m; r++) {
                    sim.put(s0 + r * (m + 1), Double.NEGATIVE_INFINITY);
                    pos += sim.get(s0 + r * m + (r < p.n ? r + p.n : r - p.n));
                }
            }
            return pos;
        }
        p.diag.assign(Double.NEGATIVE_INFINITY);
        return p.posTop.sumNumber().doubleValue() + p.posBottom.sumNumber().doubleValue();
    }

    /** {@code sum_r log(rowSum_r)}, in double on dense host arrays. */
    private static double sumOfLogs(Plan p) {
        if (HostArrays.dense(p.type, p.rowSum)) {
            int m = 2 * p.n;
            int r0 = HostArrays.start(p.rowSum);
            double acc = 0;
            if (p.type == DataType.FLOAT) {
                FloatBuffer rs = HostArrays.floats(p.rowSum);
                for (int r = 0; r < m; r++) {
                    acc += Math.log(rs.get(r0 + r));
                }
            } else {
                DoubleBuffer rs = HostArrays.doubles(p.rowSum);
                for (int r = 0; r < m; r++) {
                    acc += Math.log(rs.get(r0 + r));
                }
            }
            return acc;
        }
        return Transforms.log(p.logRowSum.assign(p.rowSum), false).sumNumber().doubleValue();
    }

    /** The largest |logit| for which exp needs no shift: e^(+-limit) stays normal in the type. */
    private static double unshiftedLimit(DataType type) {
        return type == DataType.DOUBLE ? 300 : 40;
    }

    /** Buffers and fixed views for one (type, N, D). */
    private static final class Plan extends BufferPlan {
        final INDArray u;
        final INDArray top;
        final INDArray bottom;
        final INDArray du;
        final INDArray duTop;
        final INDArray duBottom;
        final INDArray tmp;
        final INDArray tmpTop;
        final INDArray tmpBottom;
        final INDArray sim;
        final INDArray w;
        final INDArray wLeft;
        final INDArray wRight;
        final INDArray x;
        final INDArray xLeft;
        final INDArray xRight;
        final INDArray diag;
        final INDArray posTop;
        final INDArray posBottom;
        final INDArray rowSum;
        final INDArray logRowSum;
        final RowL2Normalizer norm = new RowL2Normalizer();

        Plan(DataType type, int n, int d) {
            super(type, n, d);
            int m = 2 * n;
            u = buffer(m, d);
            top = u.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            bottom = u.get(NDArrayIndex.interval(n, m), NDArrayIndex.all());
            du = buffer(m, d);
            duTop = du.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            duBottom = du.get(NDArrayIndex.interval(n, m), NDArrayIndex.all());
            tmp = buffer(m, d);
            tmpTop = tmp.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
            tmpBottom = tmp.get(NDArrayIndex.interval(n, m), NDArrayIndex.all());
            sim = buffer(m, m);
            rowSum = buffer(m, 1);
            logRowSum = buffer(m, 1);
            w = buffer(m, 2 * d);
            wLeft = w.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            wRight = w.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            x = buffer(m, 2 * d);
            xLeft = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
            xRight = x.get(NDArrayIndex.all(), NDArrayIndex.interval(d, 2 * d));
            INDArray flat = sim.reshape((long) m * m);
            long mm = (long) m * m;
            diag = flat.get(NDArrayIndex.interval(0, m + 1, mm));
            // Row r < N has its positive at column r + N (flat r(m+1) + N); row r >= N at r - N (flat r(m+1) - N).
            posTop = flat.get(NDArrayIndex.interval(n, m + 1, (long) (n - 1) * (m + 1) + n + 1));
            posBottom = flat.get(NDArrayIndex.interval((long) n * m, m + 1, (long) (m - 1) * (m + 1) - n + 1));
        }
    }
}
