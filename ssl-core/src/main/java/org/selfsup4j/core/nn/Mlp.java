package org.selfsup4j.core.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * A multi-layer perceptron, the generic shape of projection heads and predictors (the methods' own
 * widths and variants are built where the methods live, e.g. ssl-vision's {@code Heads}):
 * <pre>
 * (Linear -> [BatchNorm] -> ReLU) x (layers - 1)  ->  Linear  ->  [BatchNorm without affine]
 * </pre>
 * Children are indexed as in PyTorch's {@code nn.Sequential}: for dims {@code [in, h, out]} with hidden
 * batch norm, parameters are {@code 0.weight, 1.weight, 1.bias, 3.weight, 3.bias}.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, dims[0]]}</td></tr>
 *   <tr><td>output</td><td>{@code [N, dims[last]]}</td></tr>
 * </table>
 */
public final class Mlp extends ForwardingModule {
    private final int[] dims;
    private final Sequential net;

    /**
     * @param dims layer widths, input first: {@code [in, hidden..., out]} (at least two)
     * @param hiddenBatchNorm batch norm after each hidden Linear
     * @param hiddenBias bias on the hidden Linears (redundant when batch norm follows)
     * @param finalBatchNorm batch norm without affine after the last Linear (SimCLR v2, MoCo v3); the
     *        last Linear then has no bias
     * @param dtype FLOAT or DOUBLE
     * @param rng source of the initial weights, consumed layer by layer
     */
    public Mlp(int[] dims, boolean hiddenBatchNorm, boolean hiddenBias, boolean finalBatchNorm, DataType dtype,
            SplittableRandom rng) {
        this(dims, hiddenBatchNorm, hiddenBias, finalBatchNorm, dtype, rng, NormFactory.BATCH_NORM);
    }

    /**
     * As {@link #Mlp(int[], boolean, boolean, boolean, DataType, SplittableRandom)}, with the batch
     * norms built by {@code norm} (a synchronised one for data-parallel replicas).
     *
     * @param norm builds each batch-norm layer ({@link NormFactory#BATCH_NORM}: the library's)
     */
    public Mlp(int[] dims, boolean hiddenBatchNorm, boolean hiddenBias, boolean finalBatchNorm, DataType dtype,
            SplittableRandom rng, NormFactory norm) {
        this(network(dims, hiddenBatchNorm, hiddenBias, finalBatchNorm, dtype, rng, norm), dims.clone());
    }

    private Mlp(Sequential net, int[] dims) {
        super(net);
        this.dims = dims;
        this.net = net;
    }

    private static Sequential network(int[] dims, boolean hiddenBatchNorm, boolean hiddenBias, boolean finalBatchNorm,
            DataType dtype, SplittableRandom rng, NormFactory norm) {
        Checks.notNull("Mlp", "norm", norm);
        if (dims == null || dims.length < 2) {
            throw new IllegalArgumentException("Mlp: need at least input and output widths, got "
                    + Arrays.toString(dims));
        }
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 2 < dims.length; i++) {
            layers.add(new Linear(dims[i], dims[i + 1], hiddenBias, dtype, rng));
            if (hiddenBatchNorm) {
                layers.add(norm.create(dims[i + 1], true, dtype));
            }
            layers.add(new ReLU());
        }
        int last = dims.length - 1;
        layers.add(new Linear(dims[last - 1], dims[last], !finalBatchNorm, dtype, rng));
        if (finalBatchNorm) {
            layers.add(norm.create(dims[last], false, dtype));
        }
        return new Sequential(layers.toArray(new Module[0]));
    }

    /** The layer widths, input first. */
    public int[] dims() { return dims.clone(); }

    /** The layers as a {@link Sequential}. */
    public Sequential layers() { return net; }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        Checks.notNull("Mlp.forward", "input", input);
        if (input.rank() != 2 || input.size(1) != dims[0]) {
            throw new IllegalArgumentException("Mlp.forward: expected input [N, " + dims[0] + "], got "
                    + Checks.shape(input));
        }
        return super.forward(input, training);
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(dims) + " " + net;
    }
}
