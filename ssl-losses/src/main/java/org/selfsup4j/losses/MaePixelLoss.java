package org.selfsup4j.losses;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.HostArrays;

/**
 * MAE's reconstruction loss: the mean squared error between the decoder's prediction and the
 * (per-patch normalized) pixels, per patch, averaged over the masked (removed) patches only.
 *
 * <pre>
 *   y_nl    = target patch (P values);  with normPixLoss:
 *   y_nl    = (y_nl - mean(y_nl)) / sqrt(var(y_nl) + 1e-6)          var unbiased (torch's default)
 *   e_nl    = (1 / P) sum_p (pred_nlp - y_nlp)^2
 *   L       = sum_nl mask_nl e_nl / sum_nl mask_nl                     mask 1 = removed, 0 = visible
 *   dL/dpred_nlp = 2 mask_nl (pred_nlp - y_nlp) / (P sum mask)
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>pred (index 0), the decoder's pixel predictions</td><td>[N, L, P]</td><td>[N, L, P]</td></tr>
 *   <tr><td>target, the patchified image ({@code P = patch^2 * channels})</td><td>[N, L, P]</td><td>none (data)</td></tr>
 *   <tr><td>mask, 0/1 of pred's data type, at least one 1</td><td>[N, L]</td><td>none</td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Paper: K. He, X. Chen, S. Xie, Y. Li, P. Dollar, R. Girshick, "Masked Autoencoders Are Scalable
 * Vision Learners", CVPR 2022; reference: facebookresearch/mae {@code models_mae.py},
 * {@code forward_loss}. The masking itself (a random 75% of the patches per image,
 * {@link #DEFAULT_MASK_RATIO}) and the patchify are the model's part; this kernel takes the mask.
 * Deviations: none in the value; the reference's {@code norm_pix_loss} flag defaults to false,
 * its pre-training recipes set it, and the paper's main results use it (Table 1d), so the no-argument
 * constructor uses normalized pixels. The per-patch statistics are computed in double for both data
 * types. Buffers are kept between calls; the gradient is valid until the next {@code compute}.
 */
public final class MaePixelLoss {
    /** The fraction of patches MAE removes ({@code mask_ratio}). */
    public static final double DEFAULT_MASK_RATIO = 0.75;
    /** The variance floor of the per-patch normalization. */
    public static final double NORM_PIX_EPS = 1e-6;

    private static final String WHERE = "MaePixelLoss.compute";

    private final boolean normPixLoss;
    private final BufferPlan.Cache<Plan> plans = BufferPlan.Cache.sized(Plan::new);

    /** With normalized pixels ({@code norm_pix_loss}), as MAE's recipes. */
    public MaePixelLoss() {
        this(true);
    }

    /** @param normPixLoss whether each target patch is normalized by its own mean and variance */
    public MaePixelLoss(boolean normPixLoss) {
        this.normPixLoss = normPixLoss;
    }

    /** Whether the target patches are normalized. */
    public boolean normPixLoss() {
        return normPixLoss;
    }

    /**
     * The loss and its gradient with respect to {@code pred} (index 0; the result's only gradient).
     *
     * @throws IllegalArgumentException if a shape, rank or data type is wrong, the mask holds a value
     *         other than 0 and 1, or it removes no patch
     */
    public LossResult compute(INDArray pred, INDArray target, INDArray mask) {
        Checks.rank(WHERE, "pred", pred, 3, "[N, L, P]");
        Checks.floating(WHERE, "pred", pred);
        Checks.nonEmpty(WHERE, "pred", pred);
        Checks.rank(WHERE, "target", target, 3, "[N, L, P]");
        Checks.sameShape(WHERE, "pred", pred, "target", target);
        Checks.sameType(WHERE, "pred", pred, "target", target);
        Checks.shapeEquals(WHERE, "mask", mask, pred.size(0), pred.size(1));
        Checks.sameType(WHERE, "pred", pred, "mask", mask);
        int rows = Checks.intSize(WHERE, "N L", pred.size(0) * pred.size(1));
        int width = Checks.intSize(WHERE, "P", pred.size(2));
        Checks.intSize(WHERE, "N L P", pred.length());
        if (normPixLoss && width < 2) {
            throw new IllegalArgumentException(WHERE + ": normalized pixels need P >= 2 values per patch (the"
                    + " unbiased variance), got shape " + Checks.shape(pred));
        }
        DataType type = pred.dataType();
        int images = (int) pred.size(0);
        Plan p = plans.get(type, rows, width, images);
        INDArray pd = dense(pred, p.pred);
        INDArray td = dense(target, p.target);
        p.mask.assign(mask.reshape(rows));
        HostArrays.doubles(p.mask).get(HostArrays.start(p.mask), p.maskValues, 0, rows);
        double removed = 0;
        for (int r = 0; r < rows; r++) {
            double m = p.maskValues[r];
            if (m != 0 && m != 1) {
                throw new IllegalArgumentException(WHERE + ": mask must hold only 0 (visible) and 1 (removed), got "
                        + m + " for patch " + (r % pred.size(1)) + " of image " + (r / pred.size(1)));
            }
            removed += m;
        }
        if (removed == 0) {
            throw new IllegalArgumentException(WHERE + ": mask must remove at least one patch (the loss is a mean"
                    + " over removed patches), got all zeros for shape " + Checks.shape(mask));
        }

        Rows in = new Rows(type, pd, td, p.grad);
        double[] x = p.rowPred;
        double[] y = p.rowTarget;
        double sum = 0;
        double gradScale = 2.0 / (width * removed);
        for (int r = 0; r < rows; r++) {
            int off = r * width;
            if (p.maskValues[r] == 0) {
                Arrays.fill(x, 0.0);
                in.storeGrad(off, x);
                continue;
            }
            in.load(off, x, y);
            if (normPixLoss) {
                normalize(y);
            }
            double se = 0;
            for (int c = 0; c < width; c++) {
                double diff = x[c] - y[c];
                se += diff * diff;
                x[c] = gradScale * diff;
            }
            sum += se / width;
            in.storeGrad(off, x);
        }
        return new LossResult(sum / removed, Map.of(), p.grad);
    }

    /** {@code y <- (y - mean) / sqrt(var + eps)}, var unbiased, two passes in double. */
    private static void normalize(double[] y) {
        int n = y.length;
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        double inv = 1.0 / Math.sqrt(ss / (n - 1) + NORM_PIX_EPS);
        for (int c = 0; c < n; c++) {
            y[c] = (y[c] - mean) * inv;
        }
    }

    /** {@code x} if it is a dense host array, else its copy in {@code buffer} (same shape, type). */
    private static INDArray dense(INDArray x, INDArray buffer) {
        if (HostArrays.dense(x.dataType(), x)) {
            return x;
        }
        return buffer.assign(x);
    }

    /**
     * Patch-row access to the three dense arrays through their NIO views, converting to and from
     * double: one bulk copy per row, so the loss's arithmetic is written once for both data types.
     */
    private static final class Rows {
        private final FloatBuffer predF;
        private final FloatBuffer targetF;
        private final FloatBuffer gradF;
        private final DoubleBuffer predD;
        private final DoubleBuffer targetD;
        private final DoubleBuffer gradD;
        private final int p0;
        private final int t0;
        private final int g0;
        private final float[] chunk;

        Rows(DataType type, INDArray pred, INDArray target, INDArray grad) {
            boolean f = type == DataType.FLOAT;
            predF = f ? HostArrays.floats(pred) : null;
            targetF = f ? HostArrays.floats(target) : null;
            gradF = f ? HostArrays.floats(grad) : null;
            predD = f ? null : HostArrays.doubles(pred);
            targetD = f ? null : HostArrays.doubles(target);
            gradD = f ? null : HostArrays.doubles(grad);
            p0 = HostArrays.start(pred);
            t0 = HostArrays.start(target);
            g0 = HostArrays.start(grad);
            chunk = new float[(int) pred.size(2)];
        }

        void load(int off, double[] pred, double[] target) {
            if (predF != null) {
                predF.get(p0 + off, chunk, 0, chunk.length);
                for (int c = 0; c < chunk.length; c++) {
                    pred[c] = chunk[c];
                }
                targetF.get(t0 + off, chunk, 0, chunk.length);
                for (int c = 0; c < chunk.length; c++) {
                    target[c] = chunk[c];
                }
            } else {
                predD.get(p0 + off, pred, 0, pred.length);
                targetD.get(t0 + off, target, 0, target.length);
            }
        }

        void storeGrad(int off, double[] grad) {
            if (gradF != null) {
                for (int c = 0; c < chunk.length; c++) {
                    chunk[c] = (float) grad[c];
                }
                gradF.put(g0 + off, chunk, 0, chunk.length);
            } else {
                gradD.put(g0 + off, grad, 0, grad.length);
            }
        }
    }

    /** Buffers for one (type, N, L, P): "n" is the patch count N L, "d" the patch width P, "m" is N. */
    private static final class Plan extends BufferPlan {
        final INDArray pred;
        final INDArray target;
        final INDArray grad;
        final INDArray mask;
        final double[] maskValues;
        final double[] rowPred;
        final double[] rowTarget;

        Plan(DataType type, int rows, int width, int images) {
            super(type, rows, width, images);
            int patches = rows / images;
            pred = Nd4j.createUninitialized(type, images, patches, width);
            target = Nd4j.createUninitialized(type, images, patches, width);
            grad = Nd4j.createUninitialized(type, images, patches, width);
            mask = Nd4j.createUninitialized(DataType.DOUBLE, rows);
            maskValues = new double[rows];
            rowPred = new double[width];
            rowTarget = new double[width];
        }
    }
}
