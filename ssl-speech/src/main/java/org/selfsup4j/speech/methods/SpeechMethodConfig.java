package org.selfsup4j.speech.methods;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.optim.LearningRateSchedule;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * What every speech method assembly needs.
 *
 * @param trunk feature encoder, transformer, masking (and wav2vec 2.0's quantizer) settings
 * @param dtype FLOAT or DOUBLE
 * @param seed the run's seed: the model's weights come from {@link #modelSeed()}, HuBERT's targets from
 *             streams of their own
 * @param schedule Adam's learning rate, e.g. {@link TimeBudget#schedule(double, double)}
 * @param clusters k-means targets of HuBERT / ILS-SSL (unused by wav2vec 2.0), e.g. {@link #DEFAULT_CLUSTERS}
 * @param audio the training utterances, at {@code sampleRate}: HuBERT's targets are clustered from crops
 *              of them (not copied)
 * @param sampleRate the rate of {@code audio}, for the MFCCs of the targets
 * @param cropSamples samples per training crop
 */
public record SpeechMethodConfig(Wav2Vec2Config trunk, DataType dtype, long seed, LearningRateSchedule schedule,
        int clusters, List<float[]> audio, int sampleRate, int cropSamples) {
    /**
     * k-means clusters of the small FSDD runs (HuBERT base's first iteration uses
     * {@link org.selfsup4j.speech.model.HubertConfig#DEFAULT_ITERATION1_CLUSTERS} over far more data).
     */
    public static final int DEFAULT_CLUSTERS = 50;
    /** {@link Seeds#mix} stream of the model's initial weights. */
    static final long STREAM_MODEL = 1;

    /** Validates. */
    public SpeechMethodConfig {
        Checks.notNull("SpeechMethodConfig", "trunk", trunk);
        Checks.floatType("SpeechMethodConfig", dtype);
        Checks.notNull("SpeechMethodConfig", "schedule", schedule);
        Checks.positive("SpeechMethodConfig", "clusters", clusters);
        Checks.notNull("SpeechMethodConfig", "audio", audio);
        Checks.positive("SpeechMethodConfig", "sampleRate", sampleRate);
        Checks.positive("SpeechMethodConfig", "cropSamples", cropSamples);
    }

    /**
     * @return the seed of the model's weights; every method draws its trunk first from it, so the three
     *         share one random-init trunk for a run seed
     */
    public long modelSeed() {
        return Seeds.mix(seed, STREAM_MODEL);
    }
}
