package org.selfsup4j.losses.objective;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;

/**
 * SwAV's queue of past features: for each of the two assignment crops, the last L normalized
 * projections, newest first, as the reference's {@code queue[i]} ({@code main_swav.py}: {@code
 * queue[i, bs:] = queue[i, :-bs].clone(); queue[i, :bs] = embedding[crop_id * bs: (crop_id + 1) * bs]}).
 * It starts at zero and counts as full once its last row is not (a normalized feature never is zero),
 * the reference's {@code torch.all(queue[i, -1, :] == 0)} test: it holds no counter besides its rows.
 *
 * <p>Layout {@code [2 L, D]}: crop 0's rows, then crop 1's, the {@code queueScores} layout of
 * {@code SwavLoss}. The live array is the state a checkpoint saves. Not thread-safe.
 */
final class SwavQueue {
    private final int length;
    private final INDArray rows;
    private INDArray shifted;

    /**
     * @param length L &gt; 0 features per assignment crop
     * @param dim D, the features' width
     * @param type FLOAT or DOUBLE
     */
    SwavQueue(int length, int dim, DataType type) {
        this.length = Checks.positive("SwavQueue", "length", length);
        this.rows = Nd4j.zeros(Checks.floatType("SwavQueue", type), 2L * length, Checks.positive("SwavQueue", "dim", dim));
    }

    /** L, the features kept per assignment crop. */
    int length() {
        return length;
    }

    /** The live {@code [2 L, D]} rows: the checkpointed state. */
    INDArray rows() {
        return rows;
    }

    /** Whether both crops' last rows are filled: the reference uses the queue from then on. */
    boolean full() {
        return block(0).getRow(length - 1).amaxNumber().doubleValue() > 0
                && block(1).getRow(length - 1).amaxNumber().doubleValue() > 0;
    }

    /**
     * Shifts each crop's rows down by B and puts the new features on top.
     *
     * @param features {@code [2 B, D]}: crop 0's B features, then crop 1's, with B &lt; L
     */
    void push(INDArray features) {
        long b = features.size(0) / 2;
        if (shifted == null || shifted.size(0) != length - b) {
            shifted = Nd4j.create(rows.dataType(), length - b, rows.size(1));
        }
        for (int a = 0; a < 2; a++) {
            INDArray q = block(a);
            // through a copy: the source and destination ranges overlap
            shifted.assign(q.get(NDArrayIndex.interval(0, length - b)));
            q.get(NDArrayIndex.interval(b, length)).assign(shifted);
            q.get(NDArrayIndex.interval(0, b)).assign(CropStack.rows(features, a, b));
        }
    }

    private INDArray block(int a) {
        return CropStack.rows(rows, a, length);
    }
}
