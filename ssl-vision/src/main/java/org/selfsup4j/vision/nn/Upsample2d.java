package org.selfsup4j.vision.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.ParameterFreeModule;

/**
 * Nearest-neighbour upsampling by an integer factor, as {@code nn.Upsample(scale_factor=s, mode="nearest")}.
 * No parameters.
 *
 * <pre>
 *   forward:  y[n, c, s*i + a, s*j + b] = x[n, c, i, j]        (0 &lt;= a, b &lt; s)
 *   backward: dx[n, c, i, j] = sum_{a, b} dy[n, c, s*i + a, s*j + b]
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, C, H, W]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, C, s*H, s*W]}</td></tr>
 * </table>
 *
 * <p>With a convolution after it, this is the usual checkerboard-free replacement for a transposed
 * convolution in decoders (Odena et al. 2016, "Deconvolution and checkerboard artifacts").
 */
public final class Upsample2d extends ParameterFreeModule {
    /** The common factor of decoders. */
    public static final int DEFAULT_SCALE = 2;

    private final int scale;
    private long[] inputShape;
    private INDArray out;
    private INDArray gradIn;

    /** @param scale integer factor &gt;= 1 along height and width */
    public Upsample2d(int scale) {
        this.scale = Checks.positive("Upsample2d", "scale", scale);
    }

    /** Upsampling by {@link #DEFAULT_SCALE}. */
    public Upsample2d() {
        this(DEFAULT_SCALE);
    }

    /** @return the factor */
    public int scale() {
        return scale;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Nchw.input("Upsample2d.forward", input);
        long n = input.size(0);
        long c = input.size(1);
        long h = input.size(2);
        long w = input.size(3);
        long[] outShape = {n, c, h * scale, w * scale};
        out = reuse(out, input, outShape);
        // out viewed as [N, C, H, s, W, s]: every (a, b) phase is a copy of the input.
        INDArray out6 = out.reshape('c', n, c, h, scale, w, scale);
        for (int a = 0; a < scale; a++) {
            for (int b = 0; b < scale; b++) {
                out6.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(a),
                        NDArrayIndex.all(), NDArrayIndex.point(b)).assign(input);
            }
        }
        inputShape = input.shape();
        return out;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(inputShape != null, "Upsample2d.backward", "no forward pass to differentiate");
        Checks.shapeEquals("Upsample2d.backward", "gradOutput", gradOutput, out.shape());
        long n = inputShape[0];
        long c = inputShape[1];
        long h = inputShape[2];
        long w = inputShape[3];
        gradIn = reuse(gradIn, gradOutput, inputShape);
        // dy viewed as [N, C, H, s, W, s]: each input pixel's gradient is the sum over its s x s block.
        INDArray g = gradOutput.ordering() == 'c' && !gradOutput.isView() ? gradOutput : gradOutput.dup('c');
        g.reshape('c', n, c, h, scale, w, scale).sum(gradIn.reshape('c', n, c, h, w), 3, 5);
        return gradIn;
    }

    private static INDArray reuse(INDArray cached, INDArray like, long[] shape) {
        return NdArrays.reuse(cached, like.dataType(), shape);
    }

    @Override
    public String toString() {
        return "Upsample2d(" + scale + ")";
    }
}
