package org.selfsup4j.speech.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;

/**
 * A HuBERT (Hsu et al., TASLP 2021) or ILS-SSL (Wang et al., ICASSP 2022) model: {@link SpeechBackbone}
 * plus one prediction head per supervised layer j, made of a projection {@code W_j [D, finalDim]},
 * bias {@code b_j [finalDim]} and label embeddings {@code E_j [C, finalDim]} (the arguments of
 * {@link org.selfsup4j.losses.HubertLoss}). Projections are initialised as PyTorch's {@code nn.Linear},
 * label embeddings from U(0, 1) as fairseq.
 *
 * <p>Train with the core Trainer: encoder {@link #featureEncoder()}, objective {@code org.selfsup4j.speech.methods.HubertObjective}.
 */
public final class HubertModel implements SpeechModel {
    private final HubertConfig config;
    private final SpeechBackbone backbone;
    /** Per supervised layer, in the order of {@link HubertConfig#predictionLayers()}; unmodifiable, so returned as they are. */
    private final List<Parameter> projections;
    private final List<Parameter> biases;
    private final List<Parameter> embeddings;

    /**
     * @param config the settings
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights: the backbone first (the same trunk as a {@link Wav2Vec2Model} of this seed), then the heads
     */
    public HubertModel(HubertConfig config, DataType dtype, long seed) {
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        this.backbone = new SpeechBackbone(config.trunk(), dtype, rng);
        int d = config.trunk().modelDim();
        double bound = 1.0 / Math.sqrt(d);
        List<Parameter> proj = new ArrayList<>();
        List<Parameter> bias = new ArrayList<>();
        List<Parameter> emb = new ArrayList<>();
        for (int layer : config.predictionLayers()) {
            String p = "head" + layer;
            proj.add(new Parameter(p + ".proj", fill(rng, dtype, -bound, bound, d, config.finalDim()), true));
            bias.add(new Parameter(p + ".bias", fill(rng, dtype, -bound, bound, config.finalDim()), false));
            emb.add(new Parameter(p + ".label_embs", fill(rng, dtype, 0, 1, config.numClusters(), config.finalDim()), false));
        }
        this.projections = List.copyOf(proj);
        this.biases = List.copyOf(bias);
        this.embeddings = List.copyOf(emb);
    }

    private static INDArray fill(SplittableRandom rng, DataType dtype, double lo, double hi, long... shape) {
        long len = 1;
        for (long d : shape) {
            len *= d;
        }
        double[] v = new double[(int) len];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(shape).castTo(dtype);
    }

    /** @return the settings */
    public HubertConfig config() {
        return config;
    }

    @Override
    public SpeechBackbone backbone() {
        return backbone;
    }

    /** Projection W_j of each supervised layer, in the order of {@link HubertConfig#predictionLayers()}. */
    public List<Parameter> projections() {
        return projections;
    }

    /** Bias b_j of each supervised layer. */
    public List<Parameter> biases() {
        return biases;
    }

    /** Label embeddings E_j of each supervised layer. */
    public List<Parameter> labelEmbeddings() {
        return embeddings;
    }

    /** Every parameter after the feature encoder (what {@code HubertObjective} trains). */
    @Override
    public List<Parameter> objectiveParameters() {
        List<Parameter> ps = new ArrayList<>(backbone.contextParameters());
        for (int j = 0; j < projections.size(); j++) {
            ps.add(projections.get(j));
            ps.add(biases.get(j));
            ps.add(embeddings.get(j));
        }
        return List.copyOf(ps);
    }
}
