package org.selfsup4j.losses;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;

/**
 * Shared pieces of the speech losses: reading masks and index arrays into Java,
 * a shape-keyed buffer cache, and row-wise L2 normalisation with its backward pass.
 */
final class SpeechKernels {
    /** Norm floor of {@code torch.cosine_similarity} (its default {@code eps}). */
    static final double COSINE_EPS = 1e-8;

    private SpeechKernels() {
    }

    static boolean isDense(INDArray x) {
        return x.ordering() == 'c' && x.offset() == 0 && Shape.hasDefaultStridesForShape(x)
                && x.data().length() == x.length();
    }

    /** Reads a [B, T] boolean or 0/1 mask; anything other than 0/1 is an error. */
    static boolean[] readMask(String where, INDArray mask, long b, long t) {
        Checks.shapeEquals(where, "mask", mask, b, t);
        double[] v = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 1.0) {
                out[i] = true;
            } else if (v[i] != 0.0) {
                throw new IllegalArgumentException(where + ": mask must hold only 0/1 (or booleans), got " + v[i]
                        + " at flat index " + i);
            }
        }
        return out;
    }

    /** Reads an integer array (any integer data type) into Java, row-major. */
    static int[] readInts(String where, String name, INDArray x) {
        if (!x.dataType().isIntType()) {
            throw new IllegalArgumentException(where + ": " + name + " must have an integer data type, got " + x.dataType());
        }
        if (x.dataType() == DataType.INT32 && isDense(x)) {
            return x.data().asInt();
        }
        return x.castTo(DataType.INT32).dup('c').data().asInt();
    }

    /** Row-wise normalisation {@code out_i = x_i / max(||x_i||, eps)}; returns the clamped norms [N, 1]. */
    static INDArray normalizeRows(INDArray x, INDArray out, double eps) {
        INDArray norms = x.norm2(1).reshape(x.size(0), 1);
        Transforms.max(norms, eps, false);
        out.assign(x).diviColumnVector(norms);
        return norms;
    }

    /**
     * Backward of {@link #normalizeRows}: {@code gx = (g - xn (xn . g)) / n} where the norm was not
     * clamped, {@code gx = g / eps} where it was (the clamp has zero derivative, as in PyTorch).
     */
    static void normalizeRowsBackward(INDArray xn, INDArray norms, INDArray g, INDArray gx, INDArray tmp, double eps) {
        INDArray dot = tmp.assign(xn).muli(g).sum(1).reshape(xn.size(0), 1);
        dot.muli(norms.gt(eps).castTo(xn.dataType()));
        gx.assign(xn).muliColumnVector(dot).rsubi(g).diviColumnVector(norms);
    }

    /** Buffers reused across calls, keyed by name, data type and shape. */
    static final class BufferCache {
        private final Map<String, INDArray> buffers = new HashMap<>();

        INDArray get(String name, DataType dt, long... shape) {
            INDArray b = buffers.get(name);
            if (b == null || b.dataType() != dt || !Arrays.equals(b.shape(), shape)) {
                b = Nd4j.create(dt, shape);
                buffers.put(name, b);
            }
            return b;
        }

        /** {@code x} itself when dense c-order, otherwise a dense copy in a cached buffer. */
        INDArray dense(String name, INDArray x) {
            if (isDense(x)) {
                return x;
            }
            return get(name, x.dataType(), x.shape()).assign(x);
        }
    }

    /** {@code log sum_i exp(logits[i])} over the first n entries, in double, shifted by the max. */
    static double logSumExp(double[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(logits[i] - max);
        }
        return max + Math.log(s);
    }
}
