package org.selfsup4j.speech.pretrained;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.speech.data.Utterances;
import org.selfsup4j.speech.eval.LayerEmbeddings;

/**
 * What a waveform goes through before and after a speech encoder's trunk, as in the run's layer probe:
 * mono samples resampled to {@code sampleRate} (the windowed-sinc {@link org.selfsup4j.speech.io.Resampler}),
 * standardised on their own statistics ({@link Utterances#standardize}, epsilon
 * {@link Utterances#STD_EPSILON}), centre-cropped to {@code maxSamples}, run in evaluation mode, and
 * the output of layer {@code layer} (0 = projected features, 1..L = transformer layers) averaged over
 * the valid frames. Utterances embedded together are batched as {@link LayerEmbeddings} batches them
 * ({@code batch} per forward, sorted by length, widths rounded up to {@code widthQuantum} samples, the
 * padding masked).
 *
 * <p>In the file: {@code {"sampleRate":8000,"channels":"mono","normalization":"utterance-standardize",
 * "stdEpsilon":1.0E-5,"layer":2,"pooling":"mean-over-valid-frames","maxSamples":8000,"widthQuantum":800,"batch":32}}.
 *
 * @param sampleRate   the rate the trunk was trained at, Hz
 * @param layer        the layer to read, 0..L (the run's probe choice)
 * @param maxSamples   longer inputs are centre-cropped to this many samples
 * @param widthQuantum batch widths are rounded up to a multiple of this
 * @param batch        utterances per forward in the batch variants
 */
public record SpeechPreprocessing(int sampleRate, int layer, int maxSamples, int widthQuantum, int batch) {
    /** The {@code normalization} value: each utterance standardised on its own mean and deviation. */
    public static final String NORMALIZATION = "utterance-standardize";
    /** The {@code pooling} value. */
    public static final String POOLING = "mean-over-valid-frames";
    /** The {@code channels} value: callers mix to mono first. */
    public static final String CHANNELS = "mono";

    /** Validates. */
    public SpeechPreprocessing {
        Checks.positive("SpeechPreprocessing", "sampleRate", sampleRate);
        Checks.nonNegative("SpeechPreprocessing", "layer", layer);
        Checks.positive("SpeechPreprocessing", "maxSamples", maxSamples);
        Checks.positive("SpeechPreprocessing", "widthQuantum", widthQuantum);
        Checks.positive("SpeechPreprocessing", "batch", batch);
    }

    /**
     * @param sampleRate the training rate
     * @param layer      the probed layer
     * @param embeddings the probe's batching
     * @return the preprocessing
     */
    public static SpeechPreprocessing of(int sampleRate, int layer, LayerEmbeddings embeddings) {
        Checks.notNull("SpeechPreprocessing.of", "embeddings", embeddings);
        return new SpeechPreprocessing(sampleRate, layer, embeddings.maxSamples(), embeddings.widthQuantum(),
                embeddings.batch());
    }

    /** @return the batching of the embeddings, as the probe's */
    public LayerEmbeddings embeddings() {
        return new LayerEmbeddings(batch, maxSamples, widthQuantum);
    }

    /** @return the header's {@code preprocessing} object */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("sampleRate", sampleRate).put("channels", CHANNELS).put("normalization", NORMALIZATION)
                .put("stdEpsilon", Utterances.STD_EPSILON).put("layer", layer).put("pooling", POOLING)
                .put("maxSamples", maxSamples).put("widthQuantum", widthQuantum).put("batch", batch);
        return o;
    }

    /**
     * @param f the header's {@code preprocessing} object
     * @return the preprocessing
     * @throws CorruptEncoderFileException naming the field that is missing or invalid
     */
    public static SpeechPreprocessing fromJson(HeaderFields f) throws CorruptEncoderFileException {
        expect(f, "channels", CHANNELS);
        expect(f, "normalization", NORMALIZATION);
        expect(f, "pooling", POOLING);
        if (f.number("stdEpsilon") != Utterances.STD_EPSILON) {
            throw f.invalid("stdEpsilon", "must be " + Utterances.STD_EPSILON + " (the standardisation of this "
                    + "version), got " + f.number("stdEpsilon"));
        }
        return new SpeechPreprocessing(f.integer("sampleRate", 1), f.integer("layer", 0), f.integer("maxSamples", 1),
                f.integer("widthQuantum", 1), f.integer("batch", 1));
    }

    private static void expect(HeaderFields f, String field, String value) throws CorruptEncoderFileException {
        String got = f.text(field);
        if (!value.equals(got)) {
            throw f.invalid(field, "must be \"" + value + "\", got \"" + got + "\"");
        }
    }
}
