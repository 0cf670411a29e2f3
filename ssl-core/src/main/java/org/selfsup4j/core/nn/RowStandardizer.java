package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.kernel.NdArrays;

/**
 * Standardises each row of a {@code [R, D]} matrix with its own mean and biased variance,
 * {@code xhat = (x - mean) / sqrt(var + eps)}, and back-propagates through it. Used by
 * {@link AffineNorm} for {@link LayerNorm} and {@link GroupNorm}; buffers are reused while the shape stays the same.
 */
final class RowStandardizer {
    private final double eps;
    private final DataType dtype;
    private INDArray xhat;
    private INDArray tmp;
    private INDArray dx;
    private INDArray mean;
    private INDArray var;
    private INDArray invStd;
    private INDArray m1;
    private INDArray m2;
    private boolean ready;

    RowStandardizer(double eps, DataType dtype) {
        this.eps = eps;
        this.dtype = dtype;
    }

    boolean ready() {
        return ready;
    }

    /** The last forward's standardised rows. */
    INDArray xhat() {
        return xhat;
    }

    /** @return xhat, a reused [R, D] buffer */
    INDArray forward(INDArray x) {
        long r = x.size(0);
        long d = x.size(1);
        xhat = NdArrays.reuse(xhat, dtype, r, d);
        tmp = NdArrays.reuse(tmp, dtype, r, d);
        mean = NdArrays.reuse(mean, dtype, r);
        var = NdArrays.reuse(var, dtype, r);
        invStd = NdArrays.reuse(invStd, dtype, r);
        x.mean(mean, 1);
        Nd4j.exec(new BroadcastSubOp(x, mean, xhat, 0));
        tmp.assign(xhat).muli(xhat);
        tmp.mean(var, 1);
        invStd.assign(var).addi(eps);
        Transforms.sqrt(invStd, false);
        invStd.rdivi(1.0);
        Nd4j.exec(new BroadcastMulOp(xhat, invStd, xhat, 0));
        ready = true;
        return xhat;
    }

    /** @param dxhat dLoss/dxhat [R, D]; @return dLoss/dx, a reused buffer */
    INDArray backward(INDArray dxhat) {
        long r = xhat.size(0);
        long d = xhat.size(1);
        dx = NdArrays.reuse(dx, dtype, r, d);
        m1 = NdArrays.reuse(m1, dtype, r);
        m2 = NdArrays.reuse(m2, dtype, r);
        dxhat.mean(m1, 1);
        tmp.assign(dxhat).muli(xhat);
        tmp.mean(m2, 1);
        m1.negi();
        m2.negi();
        // dx = invStd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
        Nd4j.exec(new BroadcastMulOp(xhat, m2, dx, 0));
        dx.addi(dxhat);
        Nd4j.exec(new BroadcastAddOp(dx, m1, dx, 0));
        Nd4j.exec(new BroadcastMulOp(dx, invStd, dx, 0));
        return dx;
    }

    /**
     * {@code out = xhat * weight + bias} with the per-feature parameters broadcast along axis 1, or
     * {@code out = xhat} when there are none: the affine step after LayerNorm's and GroupNorm's rows.
     */
    static void affine(INDArray xhat, Parameter weight, Parameter bias, INDArray out) {
        if (weight != null) {
            Nd4j.exec(new BroadcastMulOp(xhat, weight.value(), out, 1));
            Nd4j.exec(new BroadcastAddOp(out, bias.value(), out, 1));
        } else {
            out.assign(xhat);
        }
    }

    /**
     * The backward of {@link #affine} with parameters: adds {@code sum(g)} to the bias gradient and
     * {@code sum(g * xhat)} to the weight gradient (sums over {@code sumAxes}, into {@code sum}), and
     * writes {@code dxhat = g * weight}; {@code tmp} is scratch of {@code g}'s shape.
     */
    static void affineBackward(INDArray g, INDArray xhat, Parameter weight, Parameter bias, INDArray tmp,
            INDArray sum, INDArray dxhat, int... sumAxes) {
        g.sum(sum, sumAxes);
        bias.gradient().addi(sum);
        tmp.assign(g).muli(xhat);
        tmp.sum(sum, sumAxes);
        weight.gradient().addi(sum);
        Nd4j.exec(new BroadcastMulOp(g, weight.value(), dxhat, 1));
    }
}
