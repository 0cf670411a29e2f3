package org.selfsup4j.core.optim;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.HostArrays;

/**
 * One Adam update with torch.optim.Adam's arithmetic. torch's
 * {@code w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps)} is computed in the equal form
 * {@code w -= lr*sqrt(bc2)/bc1 * m / (sqrt(v) + eps*sqrt(bc2))}.
 *
 * <p>Dense host arrays (CPU backend, float32 or float64) take one fused Java pass per parameter:
 * read g, w, m, v once, write w, m, v once, in the parameter's precision, split into kernel.Parallel's fixed chunks
 * from {@link #PARALLEL_THRESHOLD} elements on (the split is element-wise, so any thread count gives the
 * same bits). Each heap chunk is updated in one loop (moments, decay and step together, which the JIT
 * vectorizes); with lr = 0 the step is left out, so warmup from 0 leaves the weights exactly as they
 * are. Anything else (strided views, CUDA) takes
 * nine in-place ND4J passes over preallocated arrays. libnd4j's fused {@code adam_updater} was
 * measured about twice as slow as those nine passes (and replaces a zero step size by eps, which
 * breaks warmup from lr = 0); the nine passes in turn ran at half PyTorch's speed over 10M
 * parameters (libnd4j's element-wise {@code sqrt} is not vectorized) and cost some ten op calls
 * of fixed overhead per parameter.
 *
 * <p>Deliberate twins (issue #12): {@code floatRange} and {@code doubleRange} are one chunked update
 * loop, written once per precision. The float32 loop computes in float32 throughout, with its
 * coefficients rounded from double once (as torch's float32 Adam), and the float64 loop in double, so
 * each is bit-identical to the reference trajectory the optimizer tests pin; a body shared through a
 * wider type would round differently, and one over a common interface stops the JIT vectorizing it
 * (about 20% slower, see {@code ElementwiseKernels}).
 */
final class AdamKernel {
    private AdamKernel() {
    }

    /** The ND4J path even for dense host arrays; tests flip it to compare the two. */
    static boolean forceNd4j = false;

    /**
     * From this many elements a parameter's update is split across threads. The update streams 28
     * bytes per float32 element at memory speed, so a 64k-element tensor is some 100 us of work
     * against a hand-off of a few us; HostArrays' general threshold of 1M left every tensor of
     * ResNet-18 but the largest (and each 1M one) on one core.
     */
    static final int PARALLEL_THRESHOLD = 1 << 16;

    /** Whether {@link #host} handles these arrays. */
    static boolean hostApplies(INDArray w, INDArray g, INDArray m, INDArray v) {
        return !forceNd4j && HostArrays.dense(w.dataType(), w, g, m, v);
    }

    /**
     * The fused host update; only when {@link #hostApplies}. Arguments as {@link #apply}.
     *
     * @return whether every value of w, m and v is finite afterwards, checked on each chunk while it
     *     is in cache (the NaN guard's question, without another pass over the arrays)
     */
    static boolean host(INDArray w, INDArray g, INDArray m, INDArray v, double lr, double beta1, double beta2,
            double eps, double l2, double decoupled, long step) {
        double t = step + 1.0;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1.0 - Math.pow(beta2, t));
        double stepSize = lr * sqrtBc2 / bc1;
        double epsHat = eps * sqrtBc2;
        double shrink = 1.0 - lr * decoupled;
        int n = Math.toIntExact(w.length());
        AtomicBoolean nonFinite = new AtomicBoolean();
        if (w.dataType() == DataType.FLOAT) {
            FloatBuffer wb = HostArrays.floats(w);
            FloatBuffer gb = HostArrays.floats(g);
            FloatBuffer mb = HostArrays.floats(m);
            FloatBuffer vb = HostArrays.floats(v);
            int w0 = HostArrays.start(w);
            int g0 = HostArrays.start(g);
            int m0 = HostArrays.start(m);
            int v0 = HostArrays.start(v);
            HostArrays.forRange(n, PARALLEL_THRESHOLD, (from, to) -> {
                if (!floatRange(wb, w0, gb, g0, mb, m0, vb, v0, from, to, (float) beta1, (float) (1.0 - beta1),
                        (float) beta2, (float) (1.0 - beta2), (float) l2, (float) shrink, decoupled != 0,
                        (float) stepSize, (float) epsHat, lr != 0)) {
                    nonFinite.set(true);
                }
            });
        } else {
            DoubleBuffer wb = HostArrays.doubles(w);
            DoubleBuffer gb = HostArrays.doubles(g);
            DoubleBuffer mb = HostArrays.doubles(m);
            DoubleBuffer vb = HostArrays.doubles(v);
            int w0 = HostArrays.start(w);
            int g0 = HostArrays.start(g);
            int m0 = HostArrays.start(m);
            int v0 = HostArrays.start(v);
            HostArrays.forRange(n, PARALLEL_THRESHOLD, (from, to) -> {
                if (!doubleRange(wb, w0, gb, g0, mb, m0, vb, v0, from, to, beta1, beta2, l2, shrink, decoupled != 0,
                        stepSize, epsHat, lr != 0)) {
                    nonFinite.set(true);
                }
            });
        }
        return !nonFinite.get();
    }


    /** @return whether w, m and v of the range are all finite afterwards */
    private static boolean floatRange(FloatBuffer wb, int w0, FloatBuffer gb, int g0, FloatBuffer mb, int m0,
            FloatBuffer vb, int v0, int from, int to, float b1, float c1, float b2, float c2, float l2, float shrink,
            boolean decay, float stepSize, float epsHat, boolean move) {
        // c1 = 1 - b1 and c2 = 1 - b2 come rounded from double: 1f - 0.999f is 5e-5 off 0.001
        float[][] chunks = HostArrays.floatChunks();
        float[] bw = chunks[0];
        float[] bg = chunks[1];
        float[] bm = chunks[2];
        float[] bv = chunks[3];
        int any = 0;
        for (int off = from; off < to; off += HostArrays.CHUNK) {
            int len = Math.min(HostArrays.CHUNK, to - off);
            wb.get(w0 + off, bw, 0, len);
            gb.get(g0 + off, bg, 0, len);
            mb.get(m0 + off, bm, 0, len);
            vb.get(v0 + off, bv, 0, len);
            if (l2 != 0) {
                // coupled decay: g' = g + l2 * w, in the moments only; the gradient array is not written
                for (int i = 0; i < len; i++) {
                    bg[i] = bg[i] + l2 * bw[i];
                }
            }
            if (move) {
                // w * 1f is w bit for bit, so Adam (shrink 1) shares AdamW's single loop
                for (int i = 0; i < len; i++) {
                    float gi = bg[i];
                    float mi = b1 * bm[i] + c1 * gi;
                    float vi = b2 * bv[i] + c2 * (gi * gi);
                    bm[i] = mi;
                    bv[i] = vi;
                    bw[i] = bw[i] * shrink - stepSize * (mi / ((float) Math.sqrt(vi) + epsHat));
                }
            } else {
                if (decay) {
                    for (int i = 0; i < len; i++) {
                        bw[i] *= shrink;
                    }
                }
                for (int i = 0; i < len; i++) {
                    float gi = bg[i];
                    bm[i] = b1 * bm[i] + c1 * gi;
                    bv[i] = b2 * bv[i] + c2 * (gi * gi);
                }
            }
            // as HostArrays.allFinite: |bits| + 2^23 reaches the sign bit exactly for NaN and infinities
            for (int i = 0; i < len; i++) {
                any |= ((Float.floatToRawIntBits(bw[i]) & 0x7fffffff) + 0x00800000)
                        | ((Float.floatToRawIntBits(bm[i]) & 0x7fffffff) + 0x00800000)
                        | ((Float.floatToRawIntBits(bv[i]) & 0x7fffffff) + 0x00800000);
            }
            mb.put(m0 + off, bm, 0, len);
            vb.put(v0 + off, bv, 0, len);
            if (move || decay) {
                wb.put(w0 + off, bw, 0, len);
            }
        }
        return any >= 0;
    }

    /** @return whether w, m and v of the range are all finite afterwards */
    private static boolean doubleRange(DoubleBuffer wb, int w0, DoubleBuffer gb, int g0, DoubleBuffer mb, int m0,
            DoubleBuffer vb, int v0, int from, int to, double b1, double b2, double l2, double shrink,
            boolean decay, double stepSize, double epsHat, boolean move) {
        double c1 = 1.0 - b1;
        double c2 = 1.0 - b2;
        double[][] chunks = HostArrays.doubleChunks();
        double[] bw = chunks[0];
        double[] bg = chunks[1];
        double[] bm = chunks[2];
        double[] bv = chunks[3];
        long any = 0;
        for (int off = from; off < to; off += HostArrays.CHUNK) {
            int len = Math.min(HostArrays.CHUNK, to - off);
            wb.get(w0 + off, bw, 0, len);
            gb.get(g0 + off, bg, 0, len);
            mb.get(m0 + off, bm, 0, len);
            vb.get(v0 + off, bv, 0, len);
            if (l2 != 0) {
                for (int i = 0; i < len; i++) {
                    bg[i] = bg[i] + l2 * bw[i];
                }
            }
            if (move) {
                // w * 1.0 is w bit for bit, so Adam (shrink 1) shares AdamW's single loop
                for (int i = 0; i < len; i++) {
                    double gi = bg[i];
                    double mi = b1 * bm[i] + c1 * gi;
                    double vi = b2 * bv[i] + c2 * (gi * gi);
                    bm[i] = mi;
                    bv[i] = vi;
                    bw[i] = bw[i] * shrink - stepSize * (mi / (Math.sqrt(vi) + epsHat));
                }
            } else {
                if (decay) {
                    for (int i = 0; i < len; i++) {
                        bw[i] *= shrink;
                    }
                }
                for (int i = 0; i < len; i++) {
                    double gi = bg[i];
                    bm[i] = b1 * bm[i] + c1 * gi;
                    bv[i] = b2 * bv[i] + c2 * (gi * gi);
                }
            }
            for (int i = 0; i < len; i++) {
                any |= ((Double.doubleToRawLongBits(bw[i]) & 0x7fffffffffffffffL) + 0x0010000000000000L)
                        | ((Double.doubleToRawLongBits(bm[i]) & 0x7fffffffffffffffL) + 0x0010000000000000L)
                        | ((Double.doubleToRawLongBits(bv[i]) & 0x7fffffffffffffffL) + 0x0010000000000000L);
            }
            mb.put(m0 + off, bm, 0, len);
            vb.put(v0 + off, bv, 0, len);
            if (move || decay) {
                wb.put(w0 + off, bw, 0, len);
            }
        }
        return any >= 0;
    }

    /**
     * The nine-pass ND4J update, for arrays {@link #host} does not take.
     *
     * @param l2 coupled decay added to the gradient (Adam), 0 for none
     * @param decoupled decoupled decay, weights scaled by {@code 1 - lr * decoupled} first (AdamW), 0 for none
     * @param step 0-based step; bias correction uses {@code t = step + 1}
     */
    static void apply(INDArray w, INDArray g, INDArray m, INDArray v, INDArray scratch, double lr, double beta1,
            double beta2, double eps, double l2, double decoupled, long step) {
        double t = step + 1.0;
        double bc1 = 1.0 - Math.pow(beta1, t);
        double sqrtBc2 = Math.sqrt(1.0 - Math.pow(beta2, t));
        INDArray grad = g;
        if (l2 != 0) {
            // scratch = l2 * w + g; the parameter's gradient array is never written.
            Nd4j.exec(new Axpy(w, g, scratch, l2));
            grad = scratch;
        }
        if (decoupled != 0) {
            w.muli(1.0 - lr * decoupled);
        }
        m.muli(beta1);
        Nd4j.exec(new Axpy(grad, m, m, 1.0 - beta1));
        Nd4j.exec(new MulOp(grad, grad, scratch));
        v.muli(beta2);
        Nd4j.exec(new Axpy(scratch, v, v, 1.0 - beta2));
        if (lr == 0) {
            return;
        }
        Nd4j.exec(new Sqrt(v, scratch));
        scratch.addi(eps * sqrtBc2);
        Nd4j.exec(new DivOp(m, scratch, scratch));
        Nd4j.exec(new Axpy(scratch, w, w, -lr * sqrtBc2 / bc1));
    }
}
