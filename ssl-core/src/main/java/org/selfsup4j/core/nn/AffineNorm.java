package org.selfsup4j.core.nn;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.kernel.HostArrays;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.kernel.RowNormKernels;

/**
 * Row standardisation followed by the optional per-feature affine step, forward and backward: the
 * part {@link LayerNorm} and {@link GroupNorm} share. The caller views its input as the {@code [R, D]}
 * rows to standardise and names the shape in which the features lie on axis 1 (LayerNorm
 * {@code [R, F]}, GroupNorm {@code [N, C, S]}); the affine gradients sum over the other axes. Buffers
 * are reused while the shape stays the same. Dense host arrays take {@link RowNormKernels}' fused
 * passes, other backends {@link RowStandardizer}'s libnd4j ops.
 */
final class AffineNorm {
    private final DataType dtype;
    private final Parameter weight;
    private final Parameter bias;
    private final RowStandardizer norm;
    private final INDArray featureSum;
    private final double eps;
    private long[] rowsShape;
    private long[] affineShape;
    private int[] sumAxes;
    private INDArray out;
    private INDArray tmp;
    private INDArray dxhat;
    // the host path's state: which path the last forward took, its rows' layout and saved values
    private boolean host;
    private int rowCount;
    private int groups;
    private int channels;
    private int spatial;
    private INDArray xhat;
    private INDArray dx;
    private double[] invStd = new double[0];

    /**
     * @param features the size of axis 1 of the affine shape
     * @param affine whether to learn {@code weight} (initialised to 1) and {@code bias} (0), no weight decay
     */
    AffineNorm(int features, double eps, boolean affine, DataType dtype) {
        this.dtype = dtype;
        this.weight = affine ? new Parameter("weight", Nd4j.ones(dtype, features), false) : null;
        this.bias = affine ? new Parameter("bias", Nd4j.zeros(dtype, features), false) : null;
        this.norm = new RowStandardizer(eps, dtype);
        this.featureSum = Nd4j.create(dtype, features);
        this.eps = eps;
    }

    boolean ready() {
        return host || norm.ready();
    }

    boolean affine() {
        return weight != null;
    }

    List<Parameter> parameters() {
        return weight == null ? List.of() : List.of(weight, bias);
    }

    /**
     * @param rows the input viewed as the {@code [R, D]} rows to standardise
     * @param shape the same elements with the features on axis 1
     * @return the output in {@code shape}, a reused buffer
     */
    INDArray forward(INDArray rows, long... shape) {
        out = NdArrays.reuse(out, dtype, shape);
        host = forwardHost(rows, shape);
        if (!host) {
            RowStandardizer.affine(norm.forward(rows).reshape(shape), weight, bias, out);
        }
        rowsShape = rows.shape();
        affineShape = shape;
        sumAxes = new int[shape.length - 1];
        for (int a = 0, k = 0; a < shape.length; a++) {
            if (a != 1) {
                sumAxes[k++] = a;
            }
        }
        return out;
    }

    /**
     * @param g dLoss/dout in the last forward's {@code shape}
     * @return dLoss/dx as {@code [R, D]} rows, a reused buffer
     */
    INDArray backward(INDArray g) {
        if (host) {
            INDArray gd = HostArrays.dense(dtype, g) ? g : g.dup('c');
            dx = NdArrays.reuse(dx, dtype, rowsShape);
            if (!RowNormKernels.backward(gd, xhat, invStd, weight == null ? null : weight.value(),
                    weight == null ? null : weight.gradient(), bias == null ? null : bias.gradient(), rowCount, groups,
                    channels, spatial, dx)) {
                throw new IllegalStateException("AffineNorm.backward: the host path refused arrays of "
                        + java.util.Arrays.toString(rowsShape) + " after its forward took them");
            }
            return dx;
        }
        if (weight == null) {
            return norm.backward(g.reshape(rowsShape));
        }
        tmp = NdArrays.reuse(tmp, dtype, affineShape);
        dxhat = NdArrays.reuse(dxhat, dtype, affineShape);
        RowStandardizer.affineBackward(g, norm.xhat().reshape(affineShape), weight, bias, tmp, featureSum, dxhat,
                sumAxes);
        return norm.backward(dxhat.reshape(rowsShape));
    }

    /** The forward through {@link RowNormKernels}; false when the arrays are not dense host arrays. */
    private boolean forwardHost(INDArray rows, long[] shape) {
        if (!HostArrays.dense(dtype, rows)) {
            return false;
        }
        rowCount = (int) rows.size(0);
        groups = (int) (rows.size(0) / shape[0]);
        channels = (int) (shape[1] / groups);
        spatial = (int) (rows.size(1) / channels);
        xhat = NdArrays.reuse(xhat, dtype, rows.shape());
        if (invStd.length < rowCount) {
            invStd = new double[rowCount];
        }
        return RowNormKernels.forward(rows, weight == null ? null : weight.value(), bias == null ? null : bias.value(),
                eps, rowCount, groups, channels, spatial, out, xhat, invStd);
    }
}
