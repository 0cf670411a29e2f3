package org.selfsup4j.augment.image;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The views of one batch as plain float buffers, one per view, each {@code [N, C, H, W]} in C order
 * (views may differ in size, as in multi-crop). Converting to ND4J is a separate step so workers
 * never touch off-heap memory.
 *
 * @param sampleIndices dataset indices of the N samples, in batch order
 * @param data one buffer per view
 * @param shapes one {@code [N, C, H, W]} per view
 */
public record ViewBatch(int[] sampleIndices, List<float[]> data, List<int[]> shapes) {

    /** Checks that every buffer matches its shape. */
    public ViewBatch {
        if (data.size() != shapes.size()) {
            throw new IllegalArgumentException("ViewBatch: need one shape per view, got " + data.size()
                    + " buffers and " + shapes.size() + " shapes");
        }
        for (int v = 0; v < data.size(); v++) {
            int[] s = shapes.get(v);
            long n = (long) s[0] * s[1] * s[2] * s[3];
            if (data.get(v).length != n) {
                throw new IllegalArgumentException("ViewBatch: view " + v + " buffer has " + data.get(v).length
                        + " values, shape needs " + n);
            }
        }
        data = List.copyOf(data);
        shapes = List.copyOf(shapes);
    }

    /** @return number of views */
    public int numViews() {
        return data.size();
    }

    /** @return batch size N */
    public int size() {
        return sampleIndices.length;
    }

    /**
     * @param v view index
     * @return a new float INDArray {@code [N, C, H, W]} holding view v
     */
    public INDArray view(int v) {
        int[] s = shapes.get(v);
        return Nd4j.create(data.get(v), new long[] {s[0], s[1], s[2], s[3]}, 'c');
    }

    /** @return every view as a new INDArray */
    public List<INDArray> toINDArrays() {
        List<INDArray> out = new ArrayList<>(numViews());
        for (int v = 0; v < numViews(); v++) {
            out.add(view(v));
        }
        return out;
    }

    /**
     * Copies view v into a preallocated array (reuse one per view across steps to avoid fresh
     * off-heap pages each batch).
     *
     * @param v view index
     * @param target float, C-order, not a view, of shape {@code [N, C, H, W]}
     */
    public void copyTo(int v, INDArray target) {
        int[] s = shapes.get(v);
        long[] ts = target.shape();
        if (target.dataType() != DataType.FLOAT || target.isView() || target.ordering() != 'c' || ts.length != 4
                || ts[0] != s[0] || ts[1] != s[1] || ts[2] != s[2] || ts[3] != s[3]) {
            throw new IllegalArgumentException("ViewBatch.copyTo: target must be a float C-order non-view array of shape ["
                    + s[0] + ", " + s[1] + ", " + s[2] + ", " + s[3] + "], got " + target.dataType() + " "
                    + java.util.Arrays.toString(ts) + " order " + target.ordering() + (target.isView() ? " (view)" : ""));
        }
        target.data().setData(data.get(v));
    }
}
