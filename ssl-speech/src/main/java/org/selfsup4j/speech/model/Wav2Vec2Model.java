package org.selfsup4j.speech.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.transformer.NamedParameters;
import org.selfsup4j.speech.model.nn.GumbelVectorQuantizer;

/**
 * A wav2vec 2.0 model (Baevski, Zhou, Mohamed, Auli, NeurIPS 2020): {@link SpeechBackbone} plus the
 * Gumbel product quantizer of the (unmasked, layer-normalised) features, its projection
 * ({@code project_q}) and the final projection of the context ({@code final_proj}).
 *
 * <p>Train it with the core {@link org.selfsup4j.core.train.Trainer}: the trainer's encoder is
 * {@link #featureEncoder()}, its objective a {@code org.selfsup4j.speech.methods.Wav2Vec2Objective} over this model, and the batch
 * source yields waveforms {@code [N, samples]}.
 */
public final class Wav2Vec2Model implements SpeechModel {
    private final Wav2Vec2Config config;
    private final SpeechBackbone backbone;
    private final GumbelVectorQuantizer quantizer;
    private final Linear projectQ;
    private final Linear finalProj;

    /**
     * @param config architecture
     * @param dtype FLOAT or DOUBLE
     * @param seed initial weights
     */
    public Wav2Vec2Model(Wav2Vec2Config config, DataType dtype, long seed) {
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        this.backbone = new SpeechBackbone(config, dtype, rng);
        int c = backbone.featureEncoder().outputChannels();
        this.quantizer = new GumbelVectorQuantizer(c, config.codebookGroups(), config.codebookEntries(),
                config.codevectorDim(), dtype, rng);
        this.projectQ = new Linear(config.codevectorDim(), config.finalDim(), true, dtype, rng);
        this.finalProj = new Linear(config.modelDim(), config.finalDim(), true, dtype, rng);
    }

    /** @return the architecture */
    public Wav2Vec2Config config() {
        return config;
    }

    @Override
    public SpeechBackbone backbone() {
        return backbone;
    }

    /** @return the product quantizer of the layer-normalised features */
    public GumbelVectorQuantizer quantizer() {
        return quantizer;
    }

    /** {@code project_q}: codevectors to the final dimension (the targets the context is scored against). */
    public Linear projectQ() {
        return projectQ;
    }

    /** {@code final_proj}: the top transformer layer to the final dimension (the context vectors). */
    public Linear finalProj() {
        return finalProj;
    }

    /** Every parameter after the feature encoder (what {@code Wav2Vec2Objective} trains). */
    @Override
    public List<Parameter> objectiveParameters() {
        List<Parameter> ps = new ArrayList<>(backbone.contextParameters());
        ps.addAll(new NamedParameters().add("quantizer", quantizer.parameters()).add("project_q", projectQ.parameters())
                .add("final_proj", finalProj.parameters()).build());
        return List.copyOf(ps);
    }
}
