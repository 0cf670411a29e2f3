package org.selfsup4j.core.encoder;

import java.nio.file.Path;

/**
 * What every encoder loaded from an encoder file has, whatever its modality: the file it was loaded
 * from, the file's header, the preprocessing every input goes through and the length of every
 * embedding. The modality modules extend it with their inputs and their backbone
 * ({@code org.selfsup4j.vision.pretrained.ImageEncoder}, {@code org.selfsup4j.speech.pretrained.SpeechEncoder}),
 * so code that only reports on an encoder, or sizes arrays for its embeddings, takes either.
 *
 * <p>Immutable here; the subclasses serialise their forwards, because a backbone reuses its buffers.
 *
 * @param <P> the modality's preprocessing, as the file's {@code preprocessing} header field describes it
 */
public abstract class PretrainedEncoder<P> {
    private final Path file;
    private final EncoderHeader header;
    private final P preprocessing;
    private final int featureDim;

    /**
     * Takes what the subclass's loader has read and validated: {@link EncoderFile#read} checked the file
     * and its header, the modality's parser the preprocessing, and the weights fixed the backbone.
     *
     * @param file          the file the encoder was loaded from
     * @param header        the file's header
     * @param preprocessing what every input goes through
     * @param featureDim    the length of every embedding
     */
    protected PretrainedEncoder(Path file, EncoderHeader header, P preprocessing, int featureDim) {
        this.file = file;
        this.header = header;
        this.preprocessing = preprocessing;
        this.featureDim = featureDim;
    }

    /** @return the file this encoder was loaded from */
    public final Path file() {
        return file;
    }

    /** @return the file's header (provenance included) */
    public final EncoderHeader header() {
        return header;
    }

    /** @return what every input goes through */
    public final P preprocessing() {
        return preprocessing;
    }

    /** @return the length of every embedding */
    public final int featureDim() {
        return featureDim;
    }
}
