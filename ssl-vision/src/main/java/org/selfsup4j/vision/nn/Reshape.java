package org.selfsup4j.vision.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.ParameterFreeModule;

/**
 * Reshapes each sample: {@code [N, prod(shape)]} (or any {@code [N, ...]} of that size) to
 * {@code [N, shape...]}, in C order, as {@code x.view(N, *shape)}. No parameters. A decoder uses it
 * to turn a latent vector's linear projection into a small feature map.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, ...]} with {@code prod(shape)} values per sample</td></tr>
 *   <tr><td>output</td><td>{@code [N, shape...]}</td></tr>
 * </table>
 */
public final class Reshape extends ParameterFreeModule {
    private final long[] shape;
    private final long perSample;
    private long[] inputShape;

    /** @param shape the per-sample output shape, all positive */
    public Reshape(long... shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("Reshape: need a per-sample shape, got none");
        }
        long p = 1;
        for (long s : shape) {
            if (s <= 0) {
                throw new IllegalArgumentException("Reshape: sizes must be positive, got " + Arrays.toString(shape));
            }
            p *= s;
        }
        this.shape = shape.clone();
        this.perSample = p;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (input == null || input.rank() < 2 || input.length() != input.size(0) * perSample) {
            throw new IllegalArgumentException("Reshape.forward: expected [N, ...] with " + perSample
                    + " values per sample for " + Arrays.toString(shape) + ", got "
                    + (input == null ? "null" : Arrays.toString(input.shape())));
        }
        inputShape = input.shape();
        long[] out = new long[shape.length + 1];
        out[0] = input.size(0);
        System.arraycopy(shape, 0, out, 1, shape.length);
        return contiguous(input).reshape('c', out);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (inputShape == null) {
            throw new IllegalStateException("Reshape.backward: no forward pass to differentiate");
        }
        if (gradOutput.length() != inputShape[0] * perSample) {
            throw new IllegalArgumentException("Reshape.backward: gradOutput must hold " + inputShape[0] * perSample
                    + " values, got " + Arrays.toString(gradOutput.shape()));
        }
        return contiguous(gradOutput).reshape('c', inputShape);
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && !a.isView() ? a : a.dup('c');
    }

    @Override
    public String toString() {
        return "Reshape" + Arrays.toString(shape);
    }
}
