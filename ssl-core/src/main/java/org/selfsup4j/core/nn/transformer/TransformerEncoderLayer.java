package org.selfsup4j.core.nn.transformer;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.Linear;

/**
 * One transformer encoder layer (self-attention and a GELU feed-forward block, each in a residual
 * connection), without dropout, with its layer norms after the sums or in front of the branches:
 *
 * <pre>
 *   post-LN (fairseq's TransformerSentenceEncoderLayer, layer_norm_first=False: wav2vec 2.0 base, HuBERT base)
 *     h = LN_1(x + SelfAttention(x))
 *     y = LN_2(h + fc2(GELU(fc1(h))))
 *   pre-LN (layer_norm_first=True; timm's ViT Block: ViT, DeiT, MAE, DINO)
 *     h = x + SelfAttention(LN_1(x))
 *     y = h + fc2(GELU(fc1(LN_2(h))))
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, T, D]}</td></tr>
 *   <tr><td>{@code attn.*}</td><td>see {@link MultiHeadSelfAttention}</td></tr>
 *   <tr><td>{@code fc1.weight}, {@code fc2.weight}</td><td>{@code [F, D]}, {@code [D, F]}</td></tr>
 *   <tr><td>{@code ln1.*}, {@code ln2.*}</td><td>{@code [D]}</td></tr>
 * </table>
 * The parameter names and the order the generator is drawn in (attention, fc1, fc2) are the same
 * for both placements.
 */
public final class TransformerEncoderLayer extends PaddedSequenceLayer {
    /** Where the layer norms sit. */
    public enum Norm {
        /** After each residual sum (the original transformer, wav2vec 2.0 base, HuBERT base). */
        POST,
        /** In front of each branch, the sums left unnormalised (ViT and its descendants). */
        PRE
    }

    private static final String WHERE = "TransformerEncoderLayer";
    private final int dim;
    private final Norm placement;
    private final DataType dtype;
    private final MultiHeadSelfAttention attn;
    private final LayerNorm ln1;
    private final Linear fc1;
    private final GELU gelu = new GELU();
    private final Linear fc2;
    private final LayerNorm ln2;
    private long[] shape;
    private INDArray sum1;
    private INDArray sum2;
    private INDArray dY1;
    private INDArray dX;

    /**
     * A post-LN layer.
     *
     * @param dim model dimension D
     * @param heads attention heads
     * @param ffnDim inner dimension F of the feed-forward block
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (attention, fc1, fc2)
     */
    public TransformerEncoderLayer(int dim, int heads, int ffnDim, DataType dtype, SplittableRandom rng) {
        this(dim, heads, ffnDim, Norm.POST, dtype, rng);
    }

    /**
     * @param dim model dimension D
     * @param heads attention heads
     * @param ffnDim inner dimension F of the feed-forward block
     * @param placement where the layer norms sit
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (attention, fc1, fc2)
     */
    public TransformerEncoderLayer(int dim, int heads, int ffnDim, Norm placement, DataType dtype,
            SplittableRandom rng) {
        Checks.positive(WHERE, "ffnDim", ffnDim);
        this.placement = Checks.notNull(WHERE, "placement", placement);
        this.dim = dim;
        this.dtype = dtype;
        this.attn = new MultiHeadSelfAttention(dim, heads, dtype, rng);
        this.ln1 = new LayerNorm(dim, dtype);
        this.fc1 = new Linear(dim, ffnDim, true, dtype, rng);
        this.fc2 = new Linear(ffnDim, dim, true, dtype, rng);
        this.ln2 = new LayerNorm(dim, dtype);
        setParameters(new NamedParameters().add("attn", attn.parameters()).add("ln1", ln1.parameters())
                .add("fc1", fc1.parameters()).add("fc2", fc2.parameters()).add("ln2", ln2.parameters()).build());
    }

    /** @return where this layer's norms sit */
    public Norm placement() {
        return placement;
    }

    /** As {@link #forward(INDArray, boolean)} with a key padding mask {@code [N, T]} (nonzero = padded) or null. */
    @Override
    public INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        shape = input.shape();
        INDArray out;
        if (placement == Norm.POST) {
            INDArray a = attn.forward(input, keyPaddingMask, training);
            sum1 = Residuals.sum(sum1, input, a);
            INDArray h = ln1.forward(sum1, training);
            sum2 = Residuals.sum(sum2, h, feedForward(h, training));
            out = ln2.forward(sum2, training);
        } else {
            INDArray a = attn.forward(ln1.forward(input, training), keyPaddingMask, training);
            sum1 = Residuals.sum(sum1, input, a);
            sum2 = Residuals.sum(sum2, sum1, feedForward(ln2.forward(sum1, training), training));
            out = sum2;
        }
        forwardDone(training);
        return out;
    }

    private INDArray feedForward(INDArray h, boolean training) {
        return fc2.forward(gelu.forward(fc1.forward(h, training), training), training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkBackward(WHERE, gradOutput, shape);
        if (placement == Norm.POST) {
            dY1 = Residuals.postNormBackward(dY1, ln2, gradOutput, this::feedForwardBackward);
            dX = Residuals.postNormBackward(dX, ln1, dY1, attn::backward);
        } else {
            dY1 = Residuals.preNormBackward(dY1, ln2, gradOutput, this::feedForwardBackward);
            dX = Residuals.preNormBackward(dX, ln1, dY1, attn::backward);
        }
        return dX;
    }

    private INDArray feedForwardBackward(INDArray d) {
        return fc1.backward(gelu.backward(fc2.backward(d)));
    }

    @Override
    public String toString() {
        return "TransformerEncoderLayer(" + dim + ", " + attn + ", " + (placement == Norm.POST ? "post" : "pre")
                + "-LN, " + dtype + ")";
    }
}
