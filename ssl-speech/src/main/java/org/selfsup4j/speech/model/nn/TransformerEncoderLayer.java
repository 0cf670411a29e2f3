package org.selfsup4j.speech.model.nn;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.GELU;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.Linear;

/**
 * One post-LN transformer encoder layer, as fairseq's {@code TransformerSentenceEncoderLayer} with
 * {@code layer_norm_first=False} (wav2vec 2.0 base, HuBERT base), without dropout.
 *
 * <pre>
 *   h = LN_1(x + SelfAttention(x))
 *   y = LN_2(h + fc2(GELU(fc1(h))))
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
 * Post-LN only (pre-LN, wav2vec 2.0 large's {@code layer_norm_first=True}, is not provided).
 */
public final class TransformerEncoderLayer extends PaddedSequenceLayer {
    private static final String WHERE = "TransformerEncoderLayer";
    private final int dim;
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
     * @param dim model dimension D
     * @param heads attention heads
     * @param ffnDim inner dimension F of the feed-forward block
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (attention, fc1, fc2)
     */
    public TransformerEncoderLayer(int dim, int heads, int ffnDim, DataType dtype, SplittableRandom rng) {
        Checks.positive(WHERE, "ffnDim", ffnDim);
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

    /** As {@link #forward(INDArray, boolean)} with a key padding mask {@code [N, T]} (nonzero = padded) or null. */
    @Override
    public INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        shape = input.shape();
        INDArray a = attn.forward(input, keyPaddingMask, training);
        sum1 = Residuals.sum(sum1, input, a);
        INDArray h = ln1.forward(sum1, training);
        INDArray f = fc2.forward(gelu.forward(fc1.forward(h, training), training), training);
        sum2 = Residuals.sum(sum2, h, f);
        forwardDone(training);
        return ln2.forward(sum2, training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkBackward(WHERE, gradOutput, shape);
        dY1 = Residuals.postNormBackward(dY1, ln2, gradOutput, d -> fc1.backward(gelu.backward(fc2.backward(d))));
        dX = Residuals.postNormBackward(dX, ln1, dY1, attn::backward);
        return dX;
    }

    @Override
    public String toString() {
        return "TransformerEncoderLayer(" + dim + ", " + attn + ", post-LN, " + dtype + ")";
    }
}
