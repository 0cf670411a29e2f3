package org.selfsup4j.core.nn.transformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.Parameter;

/**
 * A stack of L {@link TransformerEncoderLayer}s, {@code h_l = Layer_l(h_{l-1})}, that keeps every
 * layer's output: the body that wav2vec 2.0's and HuBERT's context network (post-LN) and the Vision
 * Transformer (pre-LN) put their own embeddings and norms around.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input h_0, output h_L, every h_l</td><td>{@code [N, T, D]}</td></tr>
 *   <tr><td>{@code layers<l-1>.*}</td><td>layer l, see {@link TransformerEncoderLayer}</td></tr>
 * </table>
 *
 * <p>{@link #hiddenStates()} exposes h_1..h_L of the last forward; {@link #backward(List)} takes a
 * gradient for any subset of them, which is how intermediate-layer losses (ILS-SSL) enter.
 */
public final class TransformerStack extends PaddedSequenceLayer {
    private static final String WHERE = "TransformerStack";
    private final int dim;
    private final DataType dtype;
    private final List<TransformerEncoderLayer> layers;
    private final List<INDArray> hidden = new ArrayList<>();
    private long[] shape;
    private INDArray acc;

    /**
     * @param dim model dimension D
     * @param numLayers L
     * @param heads attention heads
     * @param ffnDim feed-forward inner dimension
     * @param placement where every layer's norms sit
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights, layer by layer
     */
    public TransformerStack(int dim, int numLayers, int heads, int ffnDim, TransformerEncoderLayer.Norm placement,
            DataType dtype, SplittableRandom rng) {
        Checks.positive(WHERE, "numLayers", numLayers);
        this.dim = dim;
        this.dtype = dtype;
        List<TransformerEncoderLayer> ls = new ArrayList<>();
        NamedParameters ps = new NamedParameters();
        for (int l = 0; l < numLayers; l++) {
            TransformerEncoderLayer layer = new TransformerEncoderLayer(dim, heads, ffnDim, placement, dtype, rng);
            ls.add(layer);
            ps.add("layers" + l, layer.parameters());
        }
        this.layers = List.copyOf(ls);
        setParameters(ps.build());
    }

    /**
     * Re-draws every Linear weight of the stack from N(0, std^2) truncated at 2 std and zeroes every
     * bias, layer norms left at (1, 0): timm's {@code _init_weights} for ViT and DeiT (std 0.02), in
     * place of the PyTorch-default init the layers are built with.
     *
     * @param rng the generator, drawn in parameter order
     * @param std the standard deviation, &gt; 0
     */
    public void truncatedNormalInit(SplittableRandom rng, double std) {
        Checks.positive(WHERE + ".truncatedNormalInit", "std", std);
        for (Parameter p : parameters()) {
            INDArray v = p.value();
            if (v.rank() == 2) {
                v.assign(Init.truncatedNormal(rng, std, dtype, v.shape()));
            } else if (p.name().endsWith(".bias")) {
                v.assign(0);
            }
        }
    }

    /** Number of transformer layers L. */
    public int numLayers() {
        return layers.size();
    }

    /** As {@link #forward(INDArray, boolean)}, ignoring padded keys ({@code [N, T]}, nonzero = padded) if given. */
    @Override
    public INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        shape = input.shape();
        INDArray x = input;
        hidden.clear();
        for (TransformerEncoderLayer layer : layers) {
            x = layer.forward(x, keyPaddingMask, training);
            hidden.add(x);
        }
        forwardDone(training);
        return x;
    }

    /**
     * Outputs h_1..h_L of every layer in the last forward (element l-1 is layer l); buffers of the
     * layers, valid until the next forward.
     */
    public List<INDArray> hiddenStates() {
        return List.copyOf(hidden);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        List<INDArray> grads = new ArrayList<>();
        for (int l = 0; l < layers.size() - 1; l++) {
            grads.add(null);
        }
        grads.add(gradOutput);
        return backward(grads);
    }

    /**
     * Back-propagates gradients with respect to any of h_1..h_L.
     *
     * @param layerGradients L entries, element l-1 is dLoss/dh_l or null (no gradient there)
     * @return dLoss/dh_0 (zeros when every entry is null)
     */
    public INDArray backward(List<INDArray> layerGradients) {
        checkForwarded(WHERE);
        if (layerGradients.size() != layers.size()) {
            throw new IllegalArgumentException(WHERE + ".backward: need one (possibly null) gradient per layer ("
                    + layers.size() + "), got " + layerGradients.size());
        }
        acc = NdArrays.reuse(acc, dtype, shape);
        boolean any = false;
        INDArray g = null;
        for (int l = layers.size() - 1; l >= 0; l--) {
            INDArray extra = layerGradients.get(l);
            if (extra != null) {
                if (!Arrays.equals(extra.shape(), shape)) {
                    throw new IllegalArgumentException(WHERE + ".backward: gradient of layer " + (l + 1) + " must be "
                            + Arrays.toString(shape) + ", got " + Checks.shape(extra));
                }
                if (any) {
                    acc.assign(g).addi(extra);
                } else {
                    acc.assign(extra);
                }
                g = acc;
                any = true;
            }
            if (any) {
                g = layers.get(l).backward(g);
            }
        }
        if (!any) {
            acc.assign(0);
            g = acc;
        }
        return g;
    }

    @Override
    public String toString() {
        return "TransformerStack(" + dim + ", layers=" + layers.size() + ", " + dtype + ")";
    }
}
