package org.selfsup4j.speech.model.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.transformer.NamedParameters;
import org.selfsup4j.core.nn.transformer.PaddedSequenceLayer;
import org.selfsup4j.core.nn.transformer.Residuals;
import org.selfsup4j.core.nn.transformer.TransformerEncoderLayer;
import org.selfsup4j.core.nn.transformer.TransformerStack;

/**
 * The context network of wav2vec 2.0 and HuBERT (fairseq's {@code TransformerEncoder} with
 * {@code layer_norm_first=False}): convolutional positional embedding, layer norm, then a stack of
 * post-LN {@link TransformerEncoderLayer}s (ssl-core's {@link TransformerStack}). No dropout, no layer drop.
 *
 * <pre>
 *   h_0 = LN(x + ConvPos(x))
 *   h_l = Layer_l(h_{l-1}),  l = 1..L;   output = h_L
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output, every h_l</td><td>{@code [N, T, D]}</td></tr>
 * </table>
 *
 * <p>{@link #hiddenStates()} exposes h_1..h_L of the last forward; {@link #backward(List)} takes a
 * gradient for any subset of them, which is how intermediate-layer losses (ILS-SSL) enter.
 */
public final class TransformerEncoder extends PaddedSequenceLayer {
    private static final String WHERE = "TransformerEncoder";
    private final int dim;
    private final DataType dtype;
    private final ConvPositionalEmbedding pos;
    private final LayerNorm norm;
    private final TransformerStack layers;
    private INDArray sum;
    private INDArray dX;

    /**
     * @param dim model dimension D
     * @param numLayers L
     * @param heads attention heads
     * @param ffnDim feed-forward inner dimension
     * @param posKernel kernel of the positional convolution
     * @param posGroups groups of the positional convolution
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (positional convolution, then layer by layer)
     */
    public TransformerEncoder(int dim, int numLayers, int heads, int ffnDim, int posKernel, int posGroups,
            DataType dtype, SplittableRandom rng) {
        Checks.positive(WHERE, "numLayers", numLayers);
        this.dim = dim;
        this.dtype = dtype;
        this.pos = new ConvPositionalEmbedding(dim, posKernel, posGroups, dtype, rng);
        this.norm = new LayerNorm(dim, dtype);
        this.layers = new TransformerStack(dim, numLayers, heads, ffnDim, TransformerEncoderLayer.Norm.POST, dtype,
                rng);
        NamedParameters ps = new NamedParameters().add("pos_conv", pos.parameters()).add("layer_norm", norm.parameters());
        layers.parameters().forEach(ps::add);
        setParameters(ps.build());
    }

    /** Number of transformer layers L. */
    public int numLayers() {
        return layers.numLayers();
    }

    /** As {@link #forward(INDArray, boolean)}, ignoring padded keys ({@code [N, T]}, nonzero = padded) if given. */
    @Override
    public INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        INDArray p = pos.forward(input, training);
        sum = Residuals.sum(sum, input, p);
        INDArray x = layers.forward(norm.forward(sum, training), keyPaddingMask, training);
        forwardDone(training);
        return x;
    }

    /**
     * Outputs h_1..h_L of every layer in the last forward (element l-1 is layer l); buffers of the
     * layers, valid until the next forward.
     */
    public List<INDArray> hiddenStates() {
        return layers.hiddenStates();
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkForwarded(WHERE);
        return throughEmbedding(layers.backward(gradOutput));
    }

    /**
     * Back-propagates gradients with respect to any of h_1..h_L.
     *
     * @param layerGradients L entries, element l-1 is dLoss/dh_l or null (no gradient there)
     * @return dLoss/dInput
     */
    public INDArray backward(List<INDArray> layerGradients) {
        checkForwarded(WHERE);
        return throughEmbedding(layers.backward(layerGradients));
    }

    /** From dLoss/dh_0 back through {@code LN(x + ConvPos(x))}. */
    private INDArray throughEmbedding(INDArray dStackInput) {
        dX = Residuals.postNormBackward(dX, norm, dStackInput, pos::backward);
        return dX;
    }

    @Override
    public String toString() {
        return "TransformerEncoder(" + dim + ", layers=" + layers.numLayers() + ", " + pos + ")";
    }
}
