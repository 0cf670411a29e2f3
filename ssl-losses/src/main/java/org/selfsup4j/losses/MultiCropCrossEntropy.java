package org.selfsup4j.losses;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The multi-crop cross-entropy that DINO and SwAV share: targets from the two global crops, each
 * predicted by every other crop, averaged over the {@code 2 (V - 1)} (target, prediction) pairs.
 *
 * <pre>
 *   x_v  = P_v / tau                                 P = [P_0; ...; P_{V-1}], each [B, K]
 *   L    = 1 / (2 (V - 1) B) sum_{a in {0, 1}} sum_{v != a} sum_b [ -T_{a,b} . log softmax(x_{v,b}) ]
 *   dL/dP_{v,b} = 1 / (2 (V - 1) B tau) ( w_{v,b} softmax(x_{v,b}) - Q_{v,b} )
 *   Q_0 = T_1,  Q_1 = T_0,  Q_v = T_0 + T_1 (v &ge; 2),   w_{v,b} = sum_k Q_{v,b,k}
 * </pre>
 * DINO's targets are the teacher's softmax, SwAV's the Sinkhorn codes; both have rows summing to 1
 * (so {@code w} is 1 or 2), but {@code w} is taken from the targets so the gradient is exact for any.
 *
 * <p>Why one class: DINO averages over all pairs, SwAV over the other crops per assignment crop and
 * then over the two assignment crops; with two assignment crops the two reductions are the same
 * {@code 1 / (2 (V - 1))}. The value uses {@code -T . log softmax(x) = w lse(x) - T . x}, so each
 * prediction row's log-sum-exp is computed once, not once per target (the reference code calls
 * {@code log_softmax} per pair). Buffers ({@code [V B, K]} shifted logits and gradient) are kept between calls.
 */
final class MultiCropCrossEntropy {
    /**
     * The floor on a logit after its row's maximum is subtracted: exp(-60) = 9e-27 next to the row's
     * largest term, 1, is below the rounding of either data type, so neither value nor gradient moves.
     */
    static final double SHIFTED_LOGIT_FLOOR = -60;

    private final BufferPlan.Cache<Plan> plans = BufferPlan.Cache.sized(Plan::new);

    /**
     * The loss; the gradient with respect to {@code predictions} is left in {@link #gradient()}.
     *
     * @param predictions [V B, K], crop-major (rows {@code v B .. v B + B - 1} are crop v); any layout
     * @param targets [2 B, K], dense row-major: the targets of crop 0 then of crop 1
     * @param crops V &ge; 2
     * @param temperature tau &gt; 0 of the predictions' softmax
     */
    double compute(INDArray predictions, INDArray targets, int crops, double temperature) {
        int b = (int) (targets.size(0) / 2);
        int k = (int) targets.size(1);
        Plan p = plans.get(predictions.dataType(), b, k, crops);
        double invT = 1.0 / temperature;
        predictions.muli(invT, p.x);

        long bk = (long) b * k;
        INDArray tFlat = targets.reshape(2 * bk);
        INDArray t0Flat = tFlat.get(NDArrayIndex.interval(0, bk));
        INDArray t1Flat = tFlat.get(NDArrayIndex.interval(bk, 2 * bk));
        // The targets' part of the value, sum_v Q_v . x_v, before x is shifted and exponentiated.
        p.tSumFlat.assign(t0Flat).addi(t1Flat);
        double dots = dot(p.xFlat[0], t1Flat) + dot(p.xFlat[1], t0Flat);
        for (int v = 2; v < crops; v++) {
            dots += dot(p.xFlat[v], p.tSumFlat);
        }
        INDArray t0 = targets.get(NDArrayIndex.interval(0, b), NDArrayIndex.all());
        INDArray t1 = targets.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all());
        INDArray s0 = t0.sum(true, 1);
        INDArray s1 = t1.sum(true, 1);
        p.wCrop[0].assign(s1);
        p.wCrop[1].assign(s0);
        for (int v = 2; v < crops; v++) {
            p.wCrop[v].assign(s0).addi(s1);
        }

        // Each row's own maximum: the predictions are not bounded (DINO's logits are raw head outputs).
        shiftedExpRowSums(p.x, p.rowMax, p.rowSum);
        // sum_vb w_vb lse_vb with lse = max + log(rowSum)
        Transforms.log(p.lse.assign(p.rowSum), false).addi(p.rowMax).muli(p.w);
        double lseSum = p.lse.sumNumber().doubleValue();
        double pairs = 2.0 * (crops - 1);
        double value = (lseSum - dots) / (pairs * b);

        // gradient: alpha (w / r) E - alpha Q, alpha = 1 / (2 (V - 1) B tau); the row scaling is one
        // broadcast over [V B, K], the targets enter through axpy on flat views (no scaled copies).
        double alpha = invT / (pairs * b);
        p.w.divi(p.rowSum).muli(alpha);
        p.x.muliColumnVector(p.w);
        axpy(-alpha, t1Flat, p.xFlat[0]);
        axpy(-alpha, t0Flat, p.xFlat[1]);
        for (int v = 2; v < crops; v++) {
            axpy(-alpha, p.tSumFlat, p.xFlat[v]);
        }
        return value;
    }

    /**
     * {@code x <- exp(max(x - rowMax, SHIFTED_LOGIT_FLOOR))} row-wise, with the rows' maxima in
     * {@code rowMax} and the sums of the results in {@code rowSum} ([R, 1] each). Why the floor: the
     * JDK's vectorized exp takes a slow path where its result underflows (below about -87 in float32),
     * and sharpened logits (DINO's teacher at tau_t = 0.04, the student at 0.1) send much of each row
     * there: over [2048, 4096] floats, exp of values near -100 measured 5x slower than near -10, and DINO's
     * kernel spent most of its time in it (benchmarks/README.md, DINO).
     */
    static void shiftedExpRowSums(INDArray x, INDArray rowMax, INDArray rowSum) {
        rowMax.assign(x.max(true, 1));
        x.subiColumnVector(rowMax);
        Transforms.max(x, SHIFTED_LOGIT_FLOOR, false);
        FloatKernels.expRowSums(x, rowSum);
    }

    /** dL/dP of the last {@link #compute}, [V B, K]; overwritten by the next. */
    INDArray gradient() {
        return plans.last().x;
    }

    private static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().dot(a, b);
    }

    private static void axpy(double alpha, INDArray x, INDArray y) {
        Nd4j.getBlasWrapper().level1().axpy(x.length(), alpha, x, y);
    }

    /** Buffers and flat per-crop views for one (type, B, K, V); "n" is B, "d" is K and "m" is V here. */
    private static final class Plan extends BufferPlan {
        final INDArray x;
        final INDArray[] xFlat;
        final INDArray tSumFlat;
        final INDArray rowMax;
        final INDArray rowSum;
        final INDArray lse;
        final INDArray w;
        final INDArray[] wCrop;

        Plan(DataType type, int b, int k, int crops) {
            super(type, b, k, crops);
            long bk = (long) b * k;
            x = buffer((long) crops * b, k);
            INDArray flat = x.reshape((long) crops * bk);
            xFlat = new INDArray[crops];
            w = buffer((long) crops * b, 1);
            wCrop = new INDArray[crops];
            for (int v = 0; v < crops; v++) {
                xFlat[v] = flat.get(NDArrayIndex.interval(v * bk, (v + 1) * bk));
                wCrop[v] = w.get(NDArrayIndex.interval((long) v * b, (long) (v + 1) * b), NDArrayIndex.all());
            }
            tSumFlat = Nd4j.createUninitialized(type, bk);
            rowMax = buffer((long) crops * b, 1);
            rowSum = buffer((long) crops * b, 1);
            lse = buffer((long) crops * b, 1);
        }
    }
}
