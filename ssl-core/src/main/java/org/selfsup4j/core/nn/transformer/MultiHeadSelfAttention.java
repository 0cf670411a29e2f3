package org.selfsup4j.core.nn.transformer;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Linear;

/**
 * Multi-head scaled dot-product self-attention, as PyTorch's {@code nn.MultiheadAttention} /
 * fairseq's {@code MultiheadAttention} with {@code self_attention=True} (no dropout).
 *
 * <pre>
 *   [Q K V] = x W_qkv^T + b_qkv                        (one fused projection, split into H heads of size d = D / H)
 *   A_h     = softmax( Q_h K_h^T / sqrt(d) + M )       (M = -1e9 at padded keys, 0 elsewhere)
 *   y       = concat_h(A_h V_h) W_o^T + b_o
 * </pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input, output</td><td>{@code [N, T, D]}</td></tr>
 *   <tr><td>key padding mask (optional; 1 = padded key, ignored)</td><td>{@code [N, T]}</td></tr>
 *   <tr><td>{@code qkv.weight}, {@code qkv.bias}</td><td>{@code [3D, D]}, {@code [3D]} (rows: q, then k, then v)</td></tr>
 *   <tr><td>{@code out.weight}, {@code out.bias}</td><td>{@code [D, D]}, {@code [D]}</td></tr>
 * </table>
 *
 * <p>Deviation: the q, k and v projections are one fused {@link Linear} (one GEMM), initialised as
 * PyTorch's {@code nn.Linear}; fairseq keeps three and initialises them Xavier-uniform. Buffers are
 * reused per shape; not thread-safe.
 */
public final class MultiHeadSelfAttention extends PaddedSequenceLayer {
    /** Added to the scores of padded keys. */
    public static final double MASK_VALUE = -1e9;

    private static final String WHERE = "MultiHeadSelfAttention";
    private final int dim;
    private final int heads;
    private final int headDim;
    private final double scale;
    private final DataType dtype;
    private final Linear qkv;
    private final Linear out;

    private long n;
    private long t;
    private INDArray q;
    private INDArray k;
    private INDArray v;
    private INDArray probs;
    private INDArray ctx;
    private INDArray merged;
    private INDArray maskBias;
    private INDArray dCtx;
    private INDArray dProbs;
    private INDArray dQ;
    private INDArray dK;
    private INDArray dV;
    private INDArray rowSum;
    private INDArray scratch;
    private INDArray dQkv;

    /**
     * @param dim model dimension D
     * @param heads number of heads H, dividing D
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights (qkv, then out)
     */
    public MultiHeadSelfAttention(int dim, int heads, DataType dtype, SplittableRandom rng) {
        this.headDim = Checks.parts(WHERE, "dim", dim, "heads", heads);
        Checks.floatType(WHERE, dtype);
        this.dim = dim;
        this.heads = heads;
        this.scale = 1.0 / Math.sqrt(headDim);
        this.dtype = dtype;
        this.qkv = new Linear(dim, 3 * dim, true, dtype, rng);
        this.out = new Linear(dim, dim, true, dtype, rng);
        setParameters(new NamedParameters().add("qkv", qkv.parameters()).add("out", out.parameters()).build());
    }

    /**
     * @param input {@code [N, T, D]}
     * @param keyPaddingMask {@code [N, T]}, nonzero at padded positions, or null
     * @param training remember activations for backward
     */
    @Override
    public INDArray forward(INDArray input, INDArray keyPaddingMask, boolean training) {
        checkSequence(WHERE, input, dim, dtype);
        n = input.size(0);
        t = input.size(1);
        long nh = n * heads;
        INDArray proj = qkv.forward(input, training).reshape(n, t, 3, heads, headDim);
        q = NdArrays.reuse(q, dtype, nh, t, headDim);
        k = NdArrays.reuse(k, dtype, nh, t, headDim);
        v = NdArrays.reuse(v, dtype, nh, t, headDim);
        INDArray[] qkvHeads = {q, k, v};
        for (int i = 0; i < 3; i++) {
            qkvHeads[i].reshape(n, heads, t, headDim).assign(proj.get(NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).permute(0, 2, 1, 3));
        }
        probs = NdArrays.reuse(probs, dtype, nh, t, t);
        Nd4j.matmul(q, k, probs, false, true, false);
        probs.muli(scale);
        if (keyPaddingMask != null) {
            if (keyPaddingMask.rank() != 2 || keyPaddingMask.size(0) != n || keyPaddingMask.size(1) != t) {
                throw new IllegalArgumentException(WHERE + ".forward: keyPaddingMask must be [" + n + ", " + t + "], got "
                        + Checks.shape(keyPaddingMask));
            }
            maskBias = NdArrays.reuse(maskBias, dtype, n, t);
            maskBias.assign(keyPaddingMask.castTo(dtype).neq(0).castTo(dtype)).muli(MASK_VALUE);
            INDArray rows = probs.reshape(n, heads * t, t);
            for (long b = 0; b < n; b++) {
                rows.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.all())
                        .addiRowVector(maskBias.getRow(b));
            }
        }
        Nd4j.exec(new SoftMax(probs, probs, 2));
        ctx = NdArrays.reuse(ctx, dtype, nh, t, headDim);
        Nd4j.matmul(probs, v, ctx, false, false, false);
        merged = NdArrays.reuse(merged, dtype, n, t, dim);
        merged.reshape(n, t, heads, headDim).assign(ctx.reshape(n, heads, t, headDim).permute(0, 2, 1, 3));
        forwardDone(training);
        return out.forward(merged, training);
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkBackward(WHERE, gradOutput, n, t, dim);
        long nh = n * heads;
        INDArray dMerged = out.backward(gradOutput);
        dCtx = NdArrays.reuse(dCtx, dtype, nh, t, headDim);
        dCtx.reshape(n, heads, t, headDim).assign(dMerged.reshape(n, t, heads, headDim).permute(0, 2, 1, 3));
        dProbs = NdArrays.reuse(dProbs, dtype, nh, t, t);
        dV = NdArrays.reuse(dV, dtype, nh, t, headDim);
        Nd4j.matmul(dCtx, v, dProbs, false, true, false);
        Nd4j.matmul(probs, dCtx, dV, true, false, false);
        // softmax backward: dS = P * (dP - sum_j dP_j P_j), then the 1/sqrt(d) scale
        INDArray dS = dProbs;
        rowSum = NdArrays.reuse(rowSum, dtype, nh * t, 1);
        INDArray dS2 = dS.reshape(nh * t, t);
        INDArray p2 = probs.reshape(nh * t, t);
        scratch = NdArrays.reuse(scratch, dtype, nh * t, t);
        scratch.assign(dS2).muli(p2);
        scratch.sum(rowSum.reshape(nh * t), 1);
        dS2.subiColumnVector(rowSum).muli(p2).muli(scale);
        dQ = NdArrays.reuse(dQ, dtype, nh, t, headDim);
        dK = NdArrays.reuse(dK, dtype, nh, t, headDim);
        Nd4j.matmul(dS, k, dQ, false, false, false);
        Nd4j.matmul(dS, q, dK, true, false, false);
        dQkv = NdArrays.reuse(dQkv, dtype, n, t, 3L * dim);
        INDArray d5 = dQkv.reshape(n, t, 3, heads, headDim);
        INDArray[] grads = {dQ, dK, dV};
        for (int i = 0; i < 3; i++) {
            d5.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(grads[i].reshape(n, heads, t, headDim).permute(0, 2, 1, 3));
        }
        return qkv.backward(dQkv);
    }

    /** The attention probabilities of the last forward, {@code [N * H, T, T]} (a reused buffer). */
    public INDArray attentionProbabilities() {
        return probs;
    }

    @Override
    public String toString() {
        return "MultiHeadSelfAttention(" + dim + ", heads=" + heads + ", " + dtype + ")";
    }
}
