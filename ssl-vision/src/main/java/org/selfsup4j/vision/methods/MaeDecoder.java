package org.selfsup4j.vision.methods;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.nn.Init;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.transformer.NamedParameters;
import org.selfsup4j.core.nn.transformer.TransformerEncoderLayer;
import org.selfsup4j.core.nn.transformer.TransformerStack;
import org.selfsup4j.vision.encoders.VisionTransformer;
import org.selfsup4j.vision.encoders.VisionTransformerConfig;

/**
 * MAE's light decoder ({@code models_mae.py}, {@code forward_decoder}): the encoder's tokens are
 * projected to the decoder's width, a shared mask token takes the place of every removed patch, the
 * full sequence gets the decoder's positional embeddings and goes through pre-LN blocks, a layer norm
 * and a Linear to each patch's pixels; the class token's output is dropped.
 *
 * <pre>
 *   e       = W_e latent + b_e                                   [N, 1 + K, d]
 *   u_0     = e_0;   u_l = e_(k) if patch l is the k-th kept one, else m      l = 1..L
 *   pred_l  = W_p LN(Blocks(u + q))_l + b_p                      [N, L, C p p]
 * </pre>
 *
 * <table>
 *   <caption>Parameters (MAE's names)</caption>
 *   <tr><th>name</th><th>shape</th></tr>
 *   <tr><td>{@code decoder_embed.*}</td><td>{@code [d, D]}, {@code [d]}</td></tr>
 *   <tr><td>{@code mask_token} (m), {@code decoder_pos_embed} (q)</td><td>{@code [1, d]}, {@code [1 + L, d]}</td></tr>
 *   <tr><td>{@code decoder_blocks.layers<i>.*}, {@code decoder_norm.*}</td><td>see {@link TransformerEncoderLayer}, {@code [d]}</td></tr>
 *   <tr><td>{@code decoder_pred.*}</td><td>{@code [C p p, d]}, {@code [C p p]}</td></tr>
 * </table>
 *
 * <p>Deviations from MAE: learned positional embeddings (MAE's are fixed 2-D sin-cos), initialised
 * as the mask token and the blocks like the encoder ({@link VisionTransformer#INIT_STD}, timm's
 * trunc-normal); the two projections keep PyTorch's Linear default (MAE: Xavier-uniform).
 */
final class MaeDecoder {
    private static final String WHERE = "MaeDecoder";
    private final int dim;
    private final int patches;
    private final DataType dtype;
    private final Linear embed;
    private final Parameter maskToken;
    private final Parameter pos;
    private final TransformerStack blocks;
    private final LayerNorm norm;
    private final Linear pred;
    private final List<Parameter> parameters;

    private INDArray selection;
    private INDArray mask;
    private long n;
    private long kept;
    private INDArray scattered;
    private INDArray full;
    private INDArray dNormed;
    private INDArray dEmbedded;
    private INDArray dKept;
    private INDArray posSums;

    /**
     * @param encoderDim D, the encoder's token width
     * @param dim d, the decoder's width
     * @param depth its blocks
     * @param heads its attention heads, dividing d
     * @param patches L
     * @param patchValues C p p, the pixels predicted per patch
     * @param dtype FLOAT or DOUBLE
     * @param rng initial weights
     */
    MaeDecoder(int encoderDim, int dim, int depth, int heads, int patches, int patchValues, DataType dtype,
            SplittableRandom rng) {
        this.dim = Checks.positive(WHERE, "dim", dim);
        this.patches = Checks.positive(WHERE, "patches", patches);
        this.dtype = Checks.floatType(WHERE, dtype);
        this.embed = new Linear(encoderDim, dim, true, dtype, rng);
        this.maskToken = new Parameter("mask_token", Init.truncatedNormal(rng, VisionTransformer.INIT_STD, dtype, 1, dim),
                false);
        this.pos = new Parameter("decoder_pos_embed",
                Init.truncatedNormal(rng, VisionTransformer.INIT_STD, dtype, 1L + patches, dim), false);
        this.blocks = new TransformerStack(dim, depth, heads, VisionTransformerConfig.MLP_RATIO * dim,
                TransformerEncoderLayer.Norm.PRE, dtype, rng);
        blocks.truncatedNormalInit(rng, VisionTransformer.INIT_STD);
        this.norm = new LayerNorm(dim, dtype);
        this.pred = new Linear(dim, patchValues, true, dtype, rng);
        this.parameters = new NamedParameters().add("decoder_embed", embed.parameters()).add(maskToken).add(pos)
                .add("decoder_blocks", blocks.parameters()).add("decoder_norm", norm.parameters())
                .add("decoder_pred", pred.parameters()).build();
    }

    /** @return the parameters, in checkpoint order */
    List<Parameter> parameters() {
        return parameters;
    }

    /**
     * @param latent the encoder's tokens {@code [N, 1 + K, D]} (class token first)
     * @param selection {@code [N, K, L]}, which patch each kept token is
     * @param mask {@code [N, L]}, 1 at removed patches
     * @return the pixel predictions {@code [N, L, C p p]} (a reused buffer)
     */
    INDArray forward(INDArray latent, INDArray selection, INDArray mask) {
        n = latent.size(0);
        kept = latent.size(1) - 1;
        Checks.shapeEquals(WHERE + ".forward", "selection", selection, n, kept, patches);
        Checks.shapeEquals(WHERE + ".forward", "mask", mask, n, patches);
        this.selection = selection;
        this.mask = mask;
        INDArray e = embed.forward(latent, true);
        scattered = NdArrays.reuse(scattered, dtype, n, patches, dim);
        Nd4j.matmul(selection, NdArrays.view(e.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + kept),
                NDArrayIndex.all()), n, kept, dim), scattered, true, false, false);
        // the mask token at every removed patch: an outer product of the 0/1 mask with the token
        Nd4j.gemm(mask.reshape(n * patches, 1), maskToken.value(), scattered.reshape(n * patches, dim), false, false,
                1.0, 1.0);
        full = NdArrays.reuse(full, dtype, n, 1 + patches, dim);
        full.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                .assign(e.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        full.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + patches), NDArrayIndex.all()).assign(scattered);
        full.reshape(n, (1L + patches) * dim).addiRowVector(pos.value().reshape(1, (1L + patches) * dim));
        INDArray h = norm.forward(blocks.forward(full, null, true), true);
        return pred.forward(h.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + patches), NDArrayIndex.all()), true);
    }

    /**
     * @param gradPred dLoss/dpred {@code [N, L, C p p]}
     * @return dLoss/dlatent {@code [N, 1 + K, D]}
     */
    INDArray backward(INDArray gradPred) {
        Checks.state(selection != null, WHERE + ".backward", "backward called before forward");
        INDArray dPatchTokens = pred.backward(gradPred);
        dNormed = NdArrays.reuse(dNormed, dtype, n, 1 + patches, dim);
        dNormed.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0);
        dNormed.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + patches), NDArrayIndex.all()).assign(dPatchTokens);
        INDArray dFull = blocks.backward(norm.backward(dNormed));
        posSums = NdArrays.reuse(posSums, dtype, (1L + patches) * dim);
        dFull.reshape(n, (1L + patches) * dim).sum(posSums, 0);
        pos.gradient().addi(posSums.reshape(1L + patches, dim));
        INDArray dScattered = NdArrays.view(dFull.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + patches),
                NDArrayIndex.all()), n, patches, dim);
        Nd4j.gemm(mask.reshape(n * patches, 1), dScattered.reshape(n * patches, dim), maskToken.gradient(), true, false,
                1.0, 1.0);
        dKept = NdArrays.reuse(dKept, dtype, n, kept, dim);
        Nd4j.matmul(selection, dScattered, dKept, false, false, false);
        dEmbedded = NdArrays.reuse(dEmbedded, dtype, n, 1 + kept, dim);
        dEmbedded.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                .assign(dFull.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        dEmbedded.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + kept), NDArrayIndex.all()).assign(dKept);
        return embed.backward(dEmbedded);
    }

    @Override
    public String toString() {
        return WHERE + "(" + dim + ", depth " + blocks.numLayers() + ", " + dtype + ")";
    }
}
