package org.selfsup4j.vision.encoders;

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
import org.selfsup4j.core.nn.transformer.ParameterizedLayer;
import org.selfsup4j.core.nn.transformer.TransformerEncoderLayer;
import org.selfsup4j.core.nn.transformer.TransformerStack;
import org.selfsup4j.vision.nn.Patchify;

/**
 * A Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words: Transformers for Image
 * Recognition at Scale", ICLR 2021), as timm's {@code VisionTransformer} without dropout: patch
 * embedding, a learned class token, learned positional embeddings, pre-LN blocks (ssl-core's
 * {@link TransformerStack}), a final layer norm; the feature is the class token's output, as MoCo v3
 * and DINO use it.
 *
 * <pre>
 *   t_l  = E vec(patch_l(x)) + b_E                       l = 1..L  (= a p x p, stride-p convolution)
 *   h_0  = [c + e_0;  t_l + e_l for the kept patches l]   (all of them, except under MAE's masking)
 *   h_L  = Blocks(h_0);   tokens = LN(h_L);   feature = tokens[0]
 * </pre>
 *
 * <table>
 *   <caption>Shapes (K kept patches of L, D = dim)</caption>
 *   <tr><th>array</th><th>shape</th></tr>
 *   <tr><td>input</td><td>{@code [N, C, S, S]}</td></tr>
 *   <tr><td>output of {@link #forward}</td><td>{@code [N, D]}</td></tr>
 *   <tr><td>selection of {@link #encode} (one-hot rows of the kept patches)</td><td>{@code [N, K, L]}</td></tr>
 *   <tr><td>output of {@link #encode}</td><td>{@code [N, 1 + K, D]}</td></tr>
 *   <tr><td>{@code patch_embed.weight}, {@code .bias}</td><td>{@code [D, C p p]}, {@code [D]}</td></tr>
 *   <tr><td>{@code cls_token}, {@code pos_embed}</td><td>{@code [1, D]}, {@code [1 + L, D]}</td></tr>
 *   <tr><td>{@code blocks.layers<i>.*}, {@code norm.*}</td><td>see {@link TransformerEncoderLayer}, {@code [D]}</td></tr>
 * </table>
 *
 * <p>Initialisation as timm/DeiT: class token, positional embeddings and every Linear weight of the
 * blocks N(0, 0.02^2) truncated at 2 std ({@link #INIT_STD}), biases 0, layer norms (1, 0); the patch
 * embedding keeps PyTorch's convolution default (uniform in +-1/sqrt(C p p)), which timm leaves it at.
 * No weight decay on the class token and positional embeddings (timm's {@code no_weight_decay}).
 * Deviations: no dropout or stochastic depth. Buffers are reused per shape; not thread-safe.
 */
public final class VisionTransformer extends ParameterizedLayer {
    /** The standard deviation of timm's {@code trunc_normal_} init of tokens and Linear weights. */
    public static final double INIT_STD = 0.02;

    private static final String WHERE = "VisionTransformer";
    private final VisionTransformerConfig config;
    private final DataType dtype;
    private final Patchify patchify;
    private final Linear embed;
    private final Parameter cls;
    private final Parameter pos;
    private final TransformerStack blocks;
    private final LayerNorm norm;

    private INDArray selection;
    private long n;
    private long kept;
    private INDArray z;
    private INDArray visible;
    private INDArray seq;
    private INDArray tokens;
    private INDArray feature;
    private INDArray dTokens;
    private INDArray dz;
    private INDArray rowSums;
    private INDArray patchSums;

    /**
     * @param config the sizes
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     */
    public VisionTransformer(VisionTransformerConfig config, DataType dtype, long seed) {
        this.config = Checks.notNull(WHERE, "config", config);
        this.dtype = Checks.floatType(WHERE, dtype);
        int d = config.dim();
        SplittableRandom rng = new SplittableRandom(seed);
        this.patchify = new Patchify(config.patch());
        this.embed = new Linear(config.patchValues(), d, true, dtype, rng);
        this.cls = new Parameter("cls_token", Init.truncatedNormal(rng, INIT_STD, dtype, 1, d), false);
        this.pos = new Parameter("pos_embed", Init.truncatedNormal(rng, INIT_STD, dtype, 1L + config.numPatches(), d),
                false);
        this.blocks = new TransformerStack(d, config.depth(), config.heads(), config.mlpRatio() * d,
                TransformerEncoderLayer.Norm.PRE, dtype, rng);
        blocks.truncatedNormalInit(rng, INIT_STD);
        this.norm = new LayerNorm(d, dtype);
        setParameters(new NamedParameters().add("patch_embed", embed.parameters()).add(cls).add(pos)
                .add("blocks", blocks.parameters()).add("norm", norm.parameters()).build());
    }

    /** @return the sizes */
    public VisionTransformerConfig config() {
        return config;
    }

    /**
     * @param input {@code [N, C, S, S]}
     * @param training remember activations for backward
     * @return the class token's output {@code [N, D]}, a reused buffer
     */
    @Override
    public INDArray forward(INDArray input, boolean training) {
        INDArray t = encode(input, null, training);
        feature = NdArrays.reuse(feature, dtype, n, config.dim());
        feature.assign(t.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()));
        return feature;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        checkBackward(WHERE, gradOutput, n, config.dim());
        dTokens = NdArrays.reuse(dTokens, dtype, n, 1 + kept, config.dim());
        dTokens.assign(0);
        dTokens.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(gradOutput);
        return backwardTokens(dTokens);
    }

    /**
     * The normalised output tokens for the class token and the kept patches: all patches when
     * {@code selection} is null, else those its one-hot rows pick (MAE's encoder sees only these; the
     * positional embedding each patch gets is that of its place in the image).
     *
     * @param input {@code [N, C, S, S]}
     * @param selection {@code [N, K, L]}, row k of image n one-hot at its k-th kept patch, or null for all
     * @param training remember activations for {@link #backwardTokens}
     * @return {@code [N, 1 + K, D]}, a reused buffer
     */
    public INDArray encode(INDArray input, INDArray selection, boolean training) {
        int s = config.imageSize();
        Checks.rank(WHERE + ".forward", "input", input, 4, "[N, " + config.channels() + ", " + s + ", " + s + "]");
        Checks.shapeEquals(WHERE + ".forward", "input", input, input.size(0), config.channels(), s, s);
        Checks.dataType(WHERE + ".forward", "input", input, dtype);
        n = input.size(0);
        int l = config.numPatches();
        int d = config.dim();
        if (selection != null) {
            Checks.rank(WHERE + ".encode", "selection", selection, 3, "[N, K, " + l + "]");
            Checks.shapeEquals(WHERE + ".encode", "selection", selection, n, selection.size(1), l);
            Checks.dataType(WHERE + ".encode", "selection", selection, dtype);
        }
        this.selection = selection;
        kept = selection == null ? l : selection.size(1);
        INDArray t = embed.forward(patchify.forward(input, training), training);
        z = NdArrays.reuse(z, dtype, n, l, d);
        z.assign(t);
        z.reshape(n, (long) l * d).addiRowVector(patchPositions().reshape(1, (long) l * d));
        if (selection != null) {
            visible = NdArrays.reuse(visible, dtype, n, kept, d);
            Nd4j.matmul(selection, z, visible, false, false, false);
        }
        seq = NdArrays.reuse(seq, dtype, n, 1 + kept, d);
        seq.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + kept), NDArrayIndex.all())
                .assign(selection == null ? z : visible);
        INDArray first = cls.value().add(pos.value().getRow(0).reshape(1, d));
        seq.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(0).addiRowVector(first);
        tokens = norm.forward(blocks.forward(seq, null, training), training);
        forwardDone(training);
        return tokens;
    }

    /**
     * Back-propagates a gradient with respect to {@link #encode}'s tokens, adding the parameter gradients.
     *
     * @param gradTokens {@code [N, 1 + K, D]}
     * @return dLoss/dInput {@code [N, C, S, S]}
     */
    public INDArray backwardTokens(INDArray gradTokens) {
        int l = config.numPatches();
        int d = config.dim();
        checkBackward(WHERE, gradTokens, n, 1 + kept, d);
        INDArray dSeq = blocks.backward(norm.backward(gradTokens));
        rowSums = NdArrays.reuse(rowSums, dtype, d);
        dSeq.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).sum(rowSums, 0);
        cls.gradient().addi(rowSums.reshape(1, d));
        pos.gradient().getRow(0).addi(rowSums);
        INDArray dVisible = NdArrays.view(dSeq.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 1 + kept),
                NDArrayIndex.all()), n, kept, d);
        dz = NdArrays.reuse(dz, dtype, n, l, d);
        if (selection != null) {
            Nd4j.matmul(selection, dVisible, dz, true, false, false);
        } else {
            dz.assign(dVisible);
        }
        patchSums = NdArrays.reuse(patchSums, dtype, (long) l * d);
        dz.reshape(n, (long) l * d).sum(patchSums, 0);
        pos.gradient().get(NDArrayIndex.interval(1, 1 + l), NDArrayIndex.all()).addi(patchSums.reshape(l, d));
        return patchify.backward(embed.backward(dz));
    }

    private INDArray patchPositions() {
        return pos.value().get(NDArrayIndex.interval(1, 1 + config.numPatches()), NDArrayIndex.all());
    }

    @Override
    public String toString() {
        return "VisionTransformer(" + config.imageSize() + "px, patch " + config.patch() + ", dim " + config.dim()
                + ", depth " + config.depth() + ", heads " + config.heads() + ", " + dtype + ")";
    }
}
