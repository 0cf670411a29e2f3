package org.selfsup4j.speech.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.LayerNorm;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.speech.model.nn.ConvFeatureEncoder;
import org.selfsup4j.speech.model.nn.TransformerEncoder;

/**
 * The trunk shared by wav2vec 2.0 and HuBERT: convolutional feature encoder, layer norm, projection to
 * the model dimension, masking with a learned mask embedding, transformer context network.
 *
 * <pre>
 *   z = FeatureEncoder(waveform)                 [N, T, C]      (the Trainer's encoder)
 *   u = LN(z)                                    [N, T, C]      (the quantizer's input in wav2vec 2.0)
 *   x = u W_p^T + b_p                            [N, T, D]
 *   x_t = m   (the mask embedding) at masked t
 *   h_1..h_L = Transformer(x)                    [N, T, D]
 * </pre>
 *
 * <p>The feature encoder is exposed separately ({@link #featureEncoder()}) because the core
 * {@link org.selfsup4j.core.train.Trainer} runs the encoder and hands its output to an objective; the
 * objectives of this package run the rest ({@link #forwardContext}, {@link #backwardContext}) and own
 * its parameters ({@link #contextParameters()}). The mask embedding is drawn from U(0, 1) as fairseq.
 */
public final class SpeechBackbone {
    private final DataType dtype;
    private final ConvFeatureEncoder featureEncoder;
    private final LayerNorm featureNorm;
    private final Linear postProj;
    private final Parameter maskEmbedding;
    private final TransformerEncoder transformer;
    private final List<Parameter> contextParameters;
    private INDArray normed;
    private INDArray maskCol;
    private INDArray keepCol;
    private INDArray xIn;
    private INDArray dProj;
    private INDArray dMaskEmb;
    private INDArray dNormed;
    private long n;
    private long t;

    /** Builds the trunk of {@code config} with weights from {@code rng}. */
    public SpeechBackbone(Wav2Vec2Config config, DataType dtype, SplittableRandom rng) {
        this.dtype = dtype;
        this.featureEncoder = new ConvFeatureEncoder(config.convChannels(), config.convKernels(), config.convStrides(),
                dtype, rng);
        int c = featureEncoder.outputChannels();
        this.featureNorm = new LayerNorm(c, dtype);
        this.postProj = new Linear(c, config.modelDim(), true, dtype, rng);
        INDArray emb = Nd4j.create(dtype, config.modelDim());
        for (int i = 0; i < config.modelDim(); i++) {
            emb.putScalar(i, rng.nextDouble());
        }
        this.maskEmbedding = new Parameter("mask_emb", emb, false);
        this.transformer = new TransformerEncoder(config.modelDim(), config.numLayers(), config.numHeads(), config.ffnDim(),
                config.posConvKernel(), config.posConvGroups(), dtype, rng);
        List<Parameter> ps = new ArrayList<>();
        featureNorm.parameters().forEach(p -> ps.add(p.prefixed("layer_norm")));
        postProj.parameters().forEach(p -> ps.add(p.prefixed("post_extract_proj")));
        ps.add(maskEmbedding);
        transformer.parameters().forEach(p -> ps.add(p.prefixed("encoder")));
        this.contextParameters = List.copyOf(ps);
    }

    /** The convolutional feature encoder (waveform {@code [N, samples]} to {@code [N, T, C]}). */
    public ConvFeatureEncoder featureEncoder() {
        return featureEncoder;
    }

    /** The transformer. */
    public TransformerEncoder transformer() {
        return transformer;
    }

    /** Parameters after the feature encoder: layer norm, projection, mask embedding, transformer. */
    public List<Parameter> contextParameters() {
        return contextParameters;
    }

    /** The data type of every array. */
    public DataType dataType() {
        return dtype;
    }

    /**
     * Runs layer norm, projection, masking and the transformer.
     *
     * @param features feature-encoder output {@code [N, T, C]}
     * @param mask {@code [N][T]}, true = replace by the mask embedding; null for none
     * @param training remember activations for {@link #backwardContext}
     * @return h_1..h_L (buffers, valid until the next call)
     */
    public List<INDArray> forwardContext(INDArray features, boolean[][] mask, boolean training) {
        if (features == null || features.rank() != 3) {
            throw new IllegalArgumentException("SpeechBackbone.forwardContext: expected features [N, T, C], got "
                    + (features == null ? "null" : java.util.Arrays.toString(features.shape())));
        }
        n = features.size(0);
        t = features.size(1);
        normed = featureNorm.forward(features, training);
        INDArray proj = postProj.forward(normed, training);
        long rows = n * t;
        long d = proj.size(2);
        if (xIn == null || xIn.size(0) != n || xIn.size(1) != t || xIn.dataType() != dtype) {
            xIn = Nd4j.create(dtype, n, t, d);
        }
        xIn.assign(proj);
        if (mask != null) {
            if (mask.length != n || mask[0].length != t) {
                throw new IllegalArgumentException("SpeechBackbone.forwardContext: mask must be [" + n + "][" + t + "], got ["
                        + mask.length + "][" + (mask.length == 0 ? 0 : mask[0].length) + "]");
            }
            maskCol = SpanMasking.toArray(mask, dtype).reshape(rows, 1);
            keepCol = maskCol.rsub(1.0);
            INDArray x2 = xIn.reshape(rows, d);
            x2.muliColumnVector(keepCol);
            Nd4j.gemm(maskCol, maskEmbedding.value().reshape(1, d), x2, false, false, 1.0, 1.0);
        } else {
            maskCol = null;
        }
        transformer.forward(xIn, training);
        return transformer.hiddenStates();
    }

    /** Layer-normalised features u of the last {@link #forwardContext} ({@code [N, T, C]}, a buffer). */
    public INDArray normalizedFeatures() {
        return normed;
    }

    /**
     * Back-propagates through the transformer, masking, projection and layer norm.
     *
     * @param layerGradients one (nullable) gradient per transformer layer output
     * @param normedGradient an extra dLoss/du {@code [N, T, C]} (the quantizer's), or null
     * @return dLoss/dFeatures {@code [N, T, C]} (a buffer)
     */
    public INDArray backwardContext(List<INDArray> layerGradients, INDArray normedGradient) {
        INDArray dX = transformer.backward(layerGradients);
        long rows = n * t;
        long d = dX.size(2);
        dProj = reuse(dProj, n, t, d);
        dProj.assign(dX);
        if (maskCol != null) {
            dMaskEmb = reuse(dMaskEmb, 1, d);
            Nd4j.gemm(maskCol, dX.reshape(rows, d), dMaskEmb, true, false, 1.0, 0.0);
            maskEmbedding.gradient().addi(dMaskEmb.reshape(d));
            dProj.reshape(rows, d).muliColumnVector(keepCol);
        }
        INDArray dU = postProj.backward(dProj);
        dNormed = reuse(dNormed, n, t, dU.size(2));
        dNormed.assign(dU);
        if (normedGradient != null) {
            dNormed.addi(normedGradient);
        }
        return featureNorm.backward(dNormed);
    }

    private INDArray reuse(INDArray a, long... shape) {
        if (a != null && java.util.Arrays.equals(a.shape(), shape) && a.dataType() == dtype) {
            return a;
        }
        return Nd4j.create(dtype, shape);
    }

    /**
     * Output of layer {@code layer} in eval mode without masking: 0 = the projected features (transformer
     * input before the positional convolution), 1..L = transformer layers.
     *
     * @param waveforms {@code [N, samples]}
     * @return a new array {@code [N, T, D]} (or {@code [N, T, D]} projected features for layer 0)
     */
    public INDArray layerOutput(INDArray waveforms, int layer) {
        int l = transformer.numLayers();
        if (layer < 0 || layer > l) {
            throw new IllegalArgumentException("SpeechBackbone.layerOutput: layer must be in [0, " + l + "], got " + layer);
        }
        INDArray z = featureEncoder.forward(waveforms, false);
        List<INDArray> hidden = forwardContext(z, null, false);
        return layer == 0 ? xIn.dup() : hidden.get(layer - 1).dup();
    }

    /** Utterance embeddings: the mean over frames of {@link #layerOutput}, {@code [N, D]}. */
    public INDArray meanPooled(INDArray waveforms, int layer) {
        return layerOutput(waveforms, layer).mean(1);
    }
}
