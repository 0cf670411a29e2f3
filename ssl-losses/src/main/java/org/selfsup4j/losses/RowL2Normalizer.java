package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Row-wise L2 normalization {@code u = z / max(||z||, EPS)} (PyTorch's {@code F.normalize(z, dim=1)})
 * and its backward pass, in place on caller-owned buffers.
 */
final class RowL2Normalizer {
    /** The floor on the norm, as {@code F.normalize}'s default {@code eps}. */
    static final double EPS = 1e-12;

    /** Clamped norms {@code [N, 1]} of the last {@link #forward}. */
    private INDArray clamped;
    /** 1 where the norm exceeded the floor (the norm depends on z there), else 0; {@code [N, 1]}. */
    private INDArray active;

    /** Normalizes the rows of {@code u} in place (copy the input into {@code u} first). */
    void forward(INDArray u) {
        forward(u, u);
    }

    /** Writes the normalized rows of {@code z} into {@code u} (same shape; may be {@code z} itself). */
    void forward(INDArray z, INDArray u) {
        long rows = u.size(0);
        if (clamped == null || clamped.dataType() != u.dataType() || clamped.length() != rows
                || clamped.isView() || active.isView()) {
            clamped = Nd4j.createUninitialized(u.dataType(), rows, 1);
            active = Nd4j.createUninitialized(u.dataType(), rows, 1);
        }
        if (FloatKernels.normalizeRows(z, u, clamped, active, EPS)) {
            return;
        }
        if (z != u) {
            u.assign(z);
        }
        INDArray norms = u.norm2(true, 1);
        active = norms.gt(EPS).castTo(u.dataType());
        clamped = Transforms.max(norms, EPS, false);
        u.diviColumnVector(clamped);
    }

    /**
     * Turns {@code g = dL/du} into {@code dL/dz} in place: {@code (g - u (u . g) [active]) / max(||z||, EPS)}.
     *
     * @param u the normalized rows from {@link #forward}
     * @param g the gradient with respect to {@code u}, overwritten with the gradient w.r.t. {@code z}
     * @param tmp scratch of the same shape
     */
    void backward(INDArray u, INDArray g, INDArray tmp) {
        if (FloatKernels.normalizeRowsBackward(u, g, clamped, active)) {
            return;
        }
        tmp.assign(u).muli(g);
        INDArray dots = tmp.sum(true, 1).muli(active);
        tmp.assign(u).muliColumnVector(dots);
        g.subi(tmp).diviColumnVector(clamped);
    }
}
