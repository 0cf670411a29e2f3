package org.selfsup4j.losses;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One input's L2-normalized rows {@code u [rows, D]}, the buffer for {@code dL/du}, and the
 * {@link RowL2Normalizer} between them, as a plan of {@link ByolLoss}, {@link MocoV3Loss} and
 * {@link InfoNceLoss} keeps them per normalized input. One object, because the three belong
 * together: the normalizer's backward needs the very rows its own last forward wrote, so a plan must
 * not be able to pair a normalizer with another input's rows.
 */
final class NormalizedRows {
    /** The normalized rows of the last {@link #forward}. */
    final INDArray rows;
    /** {@code dL/du}, written by the loss; {@link #backward} turns it into {@code dL/dz} in place. */
    final INDArray grad;
    private final RowL2Normalizer normalizer = new RowL2Normalizer();

    /** Buffers of {@code [plan.n, plan.d]}. */
    NormalizedRows(BufferPlan plan) {
        this(plan, plan.n);
    }

    /** Buffers of {@code [rows, plan.d]} in the plan's type. */
    NormalizedRows(BufferPlan plan, long rows) {
        this.rows = plan.buffer(rows, plan.d);
        this.grad = plan.buffer(rows, plan.d);
    }

    /** Writes the normalized rows of {@code z} into {@link #rows} ({@code z} may be {@link #rows} itself). */
    void forward(INDArray z) {
        normalizer.forward(z, rows);
    }

    /**
     * Turns {@link #grad} from {@code dL/du} into {@code dL/dz} in place.
     *
     * @param tmp scratch of {@link #rows}' shape
     * @return {@link #grad}
     */
    INDArray backward(INDArray tmp) {
        normalizer.backward(rows, grad, tmp);
        return grad;
    }
}
