package org.selfsup4j.speech.model.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;

/**
 * Fitted k-means centres: nearest-centre assignment, inertia, and save/load in the core
 * {@link CheckpointFormat} (checksummed, no code on load).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>centres</td><td>{@code [k, D]} float64</td></tr>
 *   <tr><td>points to assign</td><td>{@code [M, D]}, any floating type</td></tr>
 * </table>
 */
public final class KMeansModel {
    /** Metadata value identifying a saved model. */
    public static final String FORMAT = "selfsup4j-kmeans-1";
    private static final String CENTRES = "centres";

    private final INDArray centres;
    private final INDArray centreSqNorms;

    /** @param centres {@code [k, D]}; copied as float64 */
    public KMeansModel(INDArray centres) {
        if (centres == null || centres.rank() != 2 || centres.size(0) < 1 || centres.size(1) < 1) {
            throw new IllegalArgumentException("KMeansModel: centres must be [k, D] with k, D >= 1, got "
                    + (centres == null ? "null" : java.util.Arrays.toString(centres.shape())));
        }
        this.centres = centres.castTo(DataType.DOUBLE).dup('c');
        this.centreSqNorms = this.centres.mul(this.centres).sum(1).reshape(1, this.centres.size(0));
    }

    /** Number of clusters k. */
    public int k() {
        return (int) centres.size(0);
    }

    /** Dimension D. */
    public int dimension() {
        return (int) centres.size(1);
    }

    /** A copy of the centres. */
    public INDArray centres() {
        return centres.dup();
    }

    /** Index of the nearest centre (squared Euclidean distance, lowest index on ties) of each row. */
    public int[] assign(INDArray points) {
        return nearest(points, null);
    }

    /** Sum over rows of the squared distance to the nearest centre. */
    public double inertia(INDArray points) {
        double[] d = new double[(int) points.size(0)];
        nearest(points, d);
        double s = 0;
        for (double v : d) {
            s += v;
        }
        return s;
    }

    int[] nearest(INDArray points, double[] sqDistances) {
        if (points == null || points.rank() != 2 || points.size(1) != centres.size(1)) {
            throw new IllegalArgumentException("KMeansModel.assign: points must be [M, " + centres.size(1) + "], got "
                    + (points == null ? "null" : java.util.Arrays.toString(points.shape())));
        }
        INDArray x = points.castTo(DataType.DOUBLE);
        long m = x.size(0);
        INDArray d = Nd4j.create(DataType.DOUBLE, m, centres.size(0));
        // |x - c|^2 = |x|^2 - 2 x.c + |c|^2; |x|^2 does not change the argmin and is added back only for distances
        Nd4j.gemm(x, centres, d, false, true, -2.0, 0.0);
        d.addiRowVector(centreSqNorms);
        INDArray idx = Nd4j.argMin(d, 1);
        int[] ids = idx.toIntVector();
        if (sqDistances != null) {
            INDArray xx = x.mul(x).sum(1);
            for (int i = 0; i < m; i++) {
                sqDistances[i] = Math.max(0, d.getDouble(i, ids[i]) + xx.getDouble(i));
            }
        }
        return ids;
    }

    /** Writes the centres to {@code file} (atomic, checksummed). */
    public void save(Path file) throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put(CENTRES, centres);
        CheckpointFormat.write(file, new Checkpoint(arrays, Map.of("format", FORMAT, "k", Integer.toString(k()),
                "dimension", Integer.toString(dimension()))));
    }

    /** Reads centres written by {@link #save}. */
    public static KMeansModel load(Path file) throws IOException {
        Checkpoint c = CheckpointFormat.read(file);
        if (!FORMAT.equals(c.metadata().get("format")) || !c.arrays().containsKey(CENTRES)) {
            throw new IllegalArgumentException("KMeansModel.load: " + file + " is not a k-means model (format "
                    + c.metadata().get("format") + ")");
        }
        return new KMeansModel(c.arrays().get(CENTRES));
    }
}
