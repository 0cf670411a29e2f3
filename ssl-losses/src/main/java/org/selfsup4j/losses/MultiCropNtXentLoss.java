package org.selfsup4j.losses;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;

/**
 * NT-Xent over all crops of a batch at once, with several positives per anchor: the multi-crop
 * SimCLR loss of solo-learn ({@code solo.losses.simclr.simclr_loss_func(z, indexes, temperature)},
 * called by {@code solo.methods.simclr.SimCLR.training_step} with every crop's projection
 * concatenated and {@code indexes.repeat(num_large_crops + num_small_crops)}).
 *
 * <pre>
 *   rows     r = v N + i of [z_0; ...; z_{V-1}], M = V N       (crop v of image i)
 *   u_r    = z_r / max(||z_r||, 1e-12)
 *   s_rc   = u_r . u_c / tau
 *   P(r)   = { w N + i : w != v }                               the image's other V - 1 crops
 *   L      = (1 / M) sum_r [ -log sum_{c in P(r)} exp(s_rc) + log sum_{c != r} exp(s_rc) ]
 * </pre>
 * This is exactly what solo-learn computes: {@code pos_mask = (indexes_i == indexes_j)} with the
 * diagonal cleared, {@code neg_mask = (indexes_i != indexes_j)}, {@code pos = sum(exp(s) * pos_mask)},
 * {@code neg = sum(exp(s) * neg_mask)}, loss {@code -mean(log(pos / (pos + neg)))}; pos + neg is the
 * sum over every column but the row itself. Every crop, global or local, is an anchor, and its
 * positives are all other crops of its image, the local ones included: solo-learn does not restrict
 * local crops to global positives (that restriction belongs to SwAV's and DINO's prediction targets,
 * not to SimCLR). The positives are summed inside the log, as SupCon's {@code L_in} (Khosla et al.
 * 2020, eq. 3) rather than its {@code L_out}; with V = 2 each row has one positive and L is
 * {@link NtXentLoss}'s value and gradient.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>crop v (index v), V &ge; 2</td><td>[N, D], N &ge; 2, all alike</td><td>[N, D]</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Gradient: with E = exp(s) (diagonal 0), R_r = sum_c E_rc and Q_r = sum_{c in P(r)} E_rc,
 * {@code dL/ds = G = (E / R - [c in P(r)] E / Q) / M} row-wise, and {@code s = u u^T / tau} gives
 * {@code dL/du = (G + G^T) u / tau}, then the normalisation's backward pass. Chance level (all
 * similarities equal): {@code ln((M - 1) / (V - 1))}. Terms: {@link #cropTerm}(v), the mean of
 * crop v's rows' losses.
 *
 * <p>Numerics: as in {@link NtXentLoss}, unit rows bound every similarity by 1/tau, so for tau &ge;
 * 1/40 (float32; 1/300 for float64) the exponentials are unshifted; below, each row is shifted by its
 * maximum, which changes neither ratio. The positives' log-sums are taken in double from the logits,
 * so a row whose positives all underflow still has a finite loss. Buffers ({@code [M, M]}
 * similarities, {@code [M, D]} rows and gradients) are kept between calls; gradients are valid until
 * the next {@code compute} on this instance.
 *
 * <p>Sources: T. Chen et al., "A Simple Framework for Contrastive Learning of Visual
 * Representations", ICML 2020 (NT-Xent); M. Caron et al., "Unsupervised Learning of Visual Features
 * by Contrasting Cluster Assignments", NeurIPS 2020 (multi-crop); V. G. Turrisi da Costa et al.,
 * "solo-learn", JMLR 2022 (this multi-positive form).
 */
public final class MultiCropNtXentLoss {
    private static final String WHERE = "MultiCropNtXentLoss.compute";

    private final double temperature;
    private final BufferPlan.Cache<Plan> plans = BufferPlan.Cache.sized(Plan::new);

    /** @param temperature tau &gt; 0 (solo-learn's default is {@link NtXentLoss#DEFAULT_TEMPERATURE}) */
    public MultiCropNtXentLoss(double temperature) {
        this.temperature = Checks.positive("MultiCropNtXentLoss", "temperature", temperature);
    }

    /** The temperature tau. */
    public double temperature() {
        return temperature;
    }

    /**
     * The name of the term holding crop {@code c}'s rows' mean loss (the loss is the mean of these
     * over the crops), e.g. {@code "crop_2_anchor_mean"}.
     */
    public static String cropTerm(int c) {
        return "crop_" + c + "_anchor_mean";
    }

    /**
     * {@code ln((VN - 1) / (V - 1))}: the loss when all similarities are equal.
     *
     * @param batchSize N, &gt;= 1
     * @param crops V, &gt;= 2
     */
    public static double chanceLoss(long batchSize, int crops) {
        Checks.argument(crops >= 2, "MultiCropNtXentLoss.chanceLoss", "expected at least 2 crops, got " + crops);
        Checks.positive("MultiCropNtXentLoss.chanceLoss", "batchSize", batchSize);
        return Math.log((crops * (double) batchSize - 1) / (crops - 1));
    }

    /**
     * The loss and its gradient with respect to each crop (gradient v for argument v).
     *
     * @param crops V &ge; 2 matrices {@code [N, D]}, N &ge; 2, of one shape and floating type, row i of
     *              each the same image
     * @throws IllegalArgumentException naming the crop whose shape or type differs, fewer than 2 crops
     *         or fewer than 2 rows
     */
    public LossResult compute(List<INDArray> crops) {
        Plan p = plan(crops);
        int n = p.n;
        int v = p.m;
        int m = v * n;
        for (int c = 0; c < v; c++) {
            p.blocks[c].assign(crops.get(c));
        }
        p.norm.forward(p.u);
        Nd4j.gemm(p.u, p.u, p.sim, false, true, 1.0 / temperature, 0.0);
        double limit = p.type == DataType.DOUBLE ? 300 : 40;
        if (1.0 / temperature > limit) {
            p.sim.subiColumnVector(p.sim.max(true, 1));
        }
        // p.sim is a fresh dense C-order buffer of this plan, so flat index r * m + c is entry (r, c).
        DataBuffer sim = p.sim.data();
        for (int r = 0; r < m; r++) {
            sim.put((long) r * m + r, Double.NEGATIVE_INFINITY);
        }
        double positives = positiveLogSums(sim, p, n, v);
        FloatKernels.expRowSums(p.sim, p.rowSum);
        double logSums = 0;
        Map<String, Double> terms = new LinkedHashMap<>();
        for (int c = 0; c < v; c++) {
            double crop = 0;
            for (int r = c * n; r < (c + 1) * n; r++) {
                double logSum = Math.log(p.rowSum.getDouble(r, 0));
                logSums += logSum;
                crop += logSum - p.posLse[r];
            }
            terms.put(cropTerm(c), crop / n);
        }
        double value = (logSums - positives) / m;

        // G = (E / R - [c in P(r)] E / Q) / M; the 1 / M goes into the GEMMs' alpha.
        p.sim.diviColumnVector(p.rowSum);
        for (int r = 0; r < m; r++) {
            int i = r % n;
            for (int w = 0; w < v; w++) {
                if (w * n + i != r) {
                    // E_rc / Q_r = exp(s_rc - log Q_r) from the kept logit: finite where E_rc underflowed
                    long at = (long) r * m + (long) w * n + i;
                    sim.put(at, sim.getDouble(at) - Math.exp(p.posLogits[r * v + w] - p.posLse[r]));
                }
            }
        }
        double alpha = 1.0 / (temperature * m);
        Nd4j.gemm(p.sim, p.u, p.du, false, false, alpha, 0.0);
        Nd4j.gemm(p.sim, p.u, p.du, true, false, alpha, 1.0);
        p.norm.backward(p.u, p.du, p.tmp);
        return new LossResult(value, terms, p.gradBlocks);
    }

    /**
     * Keeps the positives' logits ({@code posLogits[r V + w]}, crop w of row r's image) and writes
     * {@code log sum_{c in P(r)} exp(s_rc)} of every row into {@code posLse} (in double, shifted by
     * the row's largest positive logit); returns their sum.
     */
    private static double positiveLogSums(DataBuffer sim, Plan p, int n, int v) {
        int m = v * n;
        double total = 0;
        for (int r = 0; r < m; r++) {
            int i = r % n;
            double max = Double.NEGATIVE_INFINITY;
            for (int w = 0; w < v; w++) {
                if (w * n + i != r) {
                    double s = sim.getDouble((long) r * m + (long) w * n + i);
                    p.posLogits[r * v + w] = s;
                    max = Math.max(max, s);
                }
            }
            double sum = 0;
            for (int w = 0; w < v; w++) {
                if (w * n + i != r) {
                    sum += Math.exp(p.posLogits[r * v + w] - max);
                }
            }
            p.posLse[r] = max + Math.log(sum);
            total += p.posLse[r];
        }
        return total;
    }

    private Plan plan(List<INDArray> crops) {
        Checks.argument(crops != null && crops.size() >= 2, WHERE, "expected at least 2 crops, got "
                + (crops == null ? "null" : crops.size()));
        INDArray first = crops.get(0);
        for (int c = 1; c < crops.size(); c++) {
            Checks.matrixPair(WHERE, "crop 0", first, "crop " + c, crops.get(c));
        }
        Checks.minRows(WHERE, "crop 0", first, 2, "each row needs another image's crops as negatives");
        int n = Checks.intSize(WHERE, "N", first.size(0));
        int d = Checks.intSize(WHERE, "D", first.size(1));
        Checks.intSize(WHERE, "V * N", (long) crops.size() * n);
        return plans.get(first.dataType(), n, d, crops.size());
    }

    /** Buffers and fixed views for one (type, N, D, V); "m" is V here. */
    private static final class Plan extends BufferPlan {
        final INDArray u;
        final INDArray[] blocks;
        final INDArray du;
        final INDArray[] gradBlocks;
        final INDArray tmp;
        final INDArray sim;
        final INDArray rowSum;
        final double[] posLse;
        final double[] posLogits;
        final RowL2Normalizer norm = new RowL2Normalizer();

        Plan(DataType type, int n, int d, int views) {
            super(type, n, d, views);
            int m = views * n;
            u = buffer(m, d);
            du = buffer(m, d);
            tmp = buffer(m, d);
            sim = buffer(m, m);
            rowSum = buffer(m, 1);
            posLse = new double[m];
            posLogits = new double[m * views];
            blocks = new INDArray[views];
            gradBlocks = new INDArray[views];
            for (int c = 0; c < views; c++) {
                blocks[c] = u.get(NDArrayIndex.interval((long) c * n, (long) (c + 1) * n), NDArrayIndex.all());
                gradBlocks[c] = du.get(NDArrayIndex.interval((long) c * n, (long) (c + 1) * n), NDArrayIndex.all());
            }
        }
    }
}
