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
import org.selfsup4j.core.nn.transformer.NamedParameters;
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
        double[] u = new double[config.modelDim()];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextDouble();
        }
        INDArray emb = Nd4j.createFromArray(u).castTo(dtype);
        this.maskEmbedding = new Parameter("mask_emb", emb, false);
        this.transformer = new TransformerEncoder(config.modelDim(), config.numLayers(), config.numHeads(), config.ffnDim(),
                config.posConvKernel(), config.posConvGroups(), dtype, rng);
        this.contextParameters = new NamedParameters().add("layer_norm", featureNorm.parameters())
                .add("post_extract_proj", postProj.parameters()).add(maskEmbedding)
                .add("encoder", transformer.parameters()).build();
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
        return forwardContext(features, mask, null, training);
    }

    /**
     * As {@link #forwardContext(INDArray, boolean[][], boolean)}, with padded frames: their projected
     * features are zeroed before the transformer and attention ignores them as keys (fairseq's
     * {@code x[padding_mask] = 0} and {@code key_padding_mask}).
     *
     * @param paddingMask {@code [N, T]}, 1 at padded frames, 0 elsewhere; null when nothing is padded
     */
    public List<INDArray> forwardContext(INDArray features, boolean[][] mask, INDArray paddingMask, boolean training) {
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
        if (paddingMask != null) {
            if (paddingMask.rank() != 2 || paddingMask.size(0) != n || paddingMask.size(1) != t) {
                throw new IllegalArgumentException("SpeechBackbone.forwardContext: paddingMask must be [" + n + ", " + t
                        + "], got " + java.util.Arrays.toString(paddingMask.shape()));
            }
            xIn.reshape(rows, d).muliColumnVector(paddingMask.castTo(dtype).rsub(1.0).reshape(rows, 1));
        }
        transformer.forward(xIn, paddingMask, training);
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

    /**
     * Utterance embeddings of every layer from one eval-mode forward: element l is the mean over the
     * valid frames of layer l (0 = projected features, 1..L = transformer layers), {@code [N, D]} each.
     * Utterance i occupies samples {@code [0, lengths[i])} of its row and is zero-padded after them;
     * its frames past {@code frames(lengths[i])} (at least one frame is kept) are zeroed, ignored by
     * attention and left out of the mean. The first convolution's group norm (over time, as in fairseq's
     * wav2vec 2.0 base) still sees the padding, so batch utterances of similar length together.
     *
     * @param waveforms {@code [N, samples]}
     * @param lengths valid samples per row, each in [1, samples]; null when no row is padded
     * @return L + 1 new arrays {@code [N, D]}
     */
    public List<INDArray> meanPooledLayers(INDArray waveforms, int[] lengths) {
        if (waveforms == null || waveforms.rank() != 2) {
            throw new IllegalArgumentException("SpeechBackbone.meanPooledLayers: expected waveforms [N, samples], got "
                    + (waveforms == null ? "null" : java.util.Arrays.toString(waveforms.shape())));
        }
        int rowsN = (int) waveforms.size(0);
        if (lengths != null && lengths.length != rowsN) {
            throw new IllegalArgumentException("SpeechBackbone.meanPooledLayers: need one length per row (" + rowsN
                    + "), got " + lengths.length);
        }
        INDArray z = featureEncoder.forward(waveforms, false);
        int frames = (int) z.size(1);
        float[] keep = new float[rowsN * frames];
        float[] pad = new float[rowsN * frames];
        double[] counts = new double[rowsN];
        for (int i = 0; i < rowsN; i++) {
            int len = lengths == null ? (int) waveforms.size(1) : lengths[i];
            if (len < 1 || len > waveforms.size(1)) {
                throw new IllegalArgumentException("SpeechBackbone.meanPooledLayers: lengths[" + i + "] must be in [1, "
                        + waveforms.size(1) + "], got " + len);
            }
            int valid = (int) Math.max(1, Math.min(frames, featureEncoder.frames(len)));
            counts[i] = valid;
            for (int f = 0; f < frames; f++) {
                keep[i * frames + f] = f < valid ? 1f : 0f;
                pad[i * frames + f] = f < valid ? 0f : 1f;
            }
        }
        INDArray padMask = lengths == null ? null : Nd4j.createFromArray(pad).reshape(rowsN, frames).castTo(dtype);
        List<INDArray> hidden = forwardContext(z, null, padMask, false);
        INDArray keep3 = Nd4j.createFromArray(keep).reshape(rowsN, 1, frames).castTo(dtype);
        INDArray inv = Nd4j.createFromArray(counts).rdivi(1.0).castTo(dtype).reshape(rowsN, 1);
        List<INDArray> out = new ArrayList<>(hidden.size() + 1);
        out.add(pool(keep3, xIn, inv));
        for (INDArray h : hidden) {
            out.add(pool(keep3, h, inv));
        }
        return out;
    }

    private static INDArray pool(INDArray keep3, INDArray h, INDArray inv) {
        // [N, 1, T] x [N, T, D] = per-utterance sum over valid frames, one batched GEMM
        INDArray s = Nd4j.matmul(keep3, h).reshape(h.size(0), h.size(2));
        return s.muliColumnVector(inv);
    }

    /** Utterance embeddings: the mean over frames of {@link #layerOutput}, {@code [N, D]}. */
    public INDArray meanPooled(INDArray waveforms, int layer) {
        return layerOutput(waveforms, layer).mean(1);
    }
}
