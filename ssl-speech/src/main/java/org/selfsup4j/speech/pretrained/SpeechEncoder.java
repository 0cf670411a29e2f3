package org.selfsup4j.speech.pretrained;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.core.encoder.PretrainedEncoder;
import org.selfsup4j.speech.data.Utterances;
import org.selfsup4j.speech.eval.LayerEmbeddings;
import org.selfsup4j.speech.io.Resampler;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * A pretrained speech encoder loaded from an encoder file: a mono waveform at any sample rate in, one
 * float vector out, preprocessed and pooled as the file says ({@link SpeechPreprocessing}: resampled to
 * the training rate, standardised, the chosen layer mean-pooled over valid frames), exactly as the
 * run's layer probe embedded its utterances.
 *
 * <pre>{@code
 * SpeechEncoder enc = SpeechEncoder.load(Path.of("runs/speech/encoder.selfsup4j"));
 * float[] e = enc.embed(samples, 16000);                      // [featureDim], resampled to the file's rate
 * float[][] es = enc.embed(List.of(a, b, c), 16000);         // [N][featureDim], batched by length
 * }</pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>input</th><th>output</th></tr>
 *   <tr><td>one mono waveform {@code float[samples]} and its rate</td><td>{@code float[featureDim()]}</td></tr>
 *   <tr><td>N mono waveforms of one rate</td><td>{@code float[N][featureDim()]}, in input order</td></tr>
 * </table>
 *
 * <p>The first convolution's group norm sees a batch's zero padding (see
 * {@link SpeechBackbone#meanPooledLayers}), so an utterance embedded in a batch of longer ones can
 * differ slightly from the same utterance embedded alone; the batch variant groups similar lengths as
 * the probe did. Thread-safe (calls are serialised). Not {@link AutoCloseable}: its arrays are ordinary
 * ND4J arrays, freed when it becomes unreachable. Inputs are not modified.
 */
public final class SpeechEncoder extends PretrainedEncoder<SpeechPreprocessing> {
    private final String family;
    private final Wav2Vec2Config trunk;
    private final SpeechBackbone backbone;
    private final LayerEmbeddings embeddings;

    /** The embedding length is the trunk's model dimension: the chosen layer is pooled, not projected. */
    private SpeechEncoder(Path file, EncoderHeader header, String family, Wav2Vec2Config trunk, SpeechBackbone backbone,
            SpeechPreprocessing preprocessing) {
        super(file, header, preprocessing, trunk.modelDim());
        this.family = family;
        this.trunk = trunk;
        this.backbone = backbone;
        this.embeddings = preprocessing.embeddings();
    }

    /**
     * Reads a speech encoder file and builds its trunk with the stored weights.
     *
     * @param file the encoder file
     * @return the encoder
     * @throws CorruptEncoderFileException when the file is damaged, not a speech encoder, or its weights
     *                                     do not fit the trunk its header describes
     * @throws IOException                 when it cannot be read
     */
    public static SpeechEncoder load(Path file) throws IOException {
        EncoderFile f = EncoderFile.read(file, EncoderHeader.SPEECH, "a speech encoder",
                "the vision module's ImageEncoder");
        EncoderHeader h = f.header();
        HeaderFields bf = new HeaderFields(file, "backbone", h.backbone());
        String family = TrunkJson.family(bf);
        Wav2Vec2Config trunk = TrunkJson.trunk(bf);
        HeaderFields pf = new HeaderFields(file, "preprocessing", h.preprocessing());
        SpeechPreprocessing pre = SpeechPreprocessing.fromJson(pf);
        if (pre.layer() > trunk.numLayers()) {
            throw pf.invalid("layer", "must be in [0, " + trunk.numLayers() + "] (backbone.trunk.numLayers), got "
                    + pre.layer());
        }
        SpeechBackbone b = SpeechEncoderExport.fresh(trunk);
        f.assignTo(file, TrunkArrays.liveWeights(b), TrunkArrays.liveBuffers(b));
        return new SpeechEncoder(file, h, family, trunk, b, pre);
    }

    /** @return {@code wav2vec2}, {@code hubert} or {@code ils-ssl} */
    public String family() {
        return family;
    }

    /** @return the trunk's configuration as the file describes it */
    public Wav2Vec2Config trunk() {
        return trunk;
    }

    /**
     * @param samples    one mono waveform, at least one sample
     * @param sampleRate its rate in Hz (resampled when it differs from the file's)
     * @return its embedding, {@code [featureDim()]}
     */
    public float[] embed(float[] samples, int sampleRate) {
        Checks.notNull("SpeechEncoder.embed", "samples", samples);
        return embed(List.of(samples), sampleRate)[0];
    }

    /**
     * @param waveforms  mono waveforms of one rate, each at least one sample
     * @param sampleRate their rate in Hz
     * @return one embedding per waveform, in order
     */
    public float[][] embed(List<float[]> waveforms, int sampleRate) {
        Checks.notNull("SpeechEncoder.embed", "waveforms", waveforms);
        Checks.argument(!waveforms.isEmpty(), "SpeechEncoder.embed", "waveforms must not be empty");
        Checks.positive("SpeechEncoder.embed", "sampleRate", sampleRate);
        SpeechPreprocessing preprocessing = preprocessing();
        Resampler resampler = sampleRate == preprocessing.sampleRate() ? null
                : new Resampler(sampleRate, preprocessing.sampleRate());
        List<float[]> xs = new ArrayList<>(waveforms.size());
        for (int i = 0; i < waveforms.size(); i++) {
            float[] w = waveforms.get(i);
            Checks.argument(w != null && w.length > 0, "SpeechEncoder.embed", "waveform " + i + " is null or empty");
            float[] x = resampler == null ? w.clone() : resampler.resample(w);
            Checks.argument(x.length > 0, "SpeechEncoder.embed", "waveform " + i + " has no samples at "
                    + preprocessing.sampleRate() + " Hz");
            Utterances.standardize(x);
            xs.add(x);
        }
        INDArray pooled;
        synchronized (this) {
            pooled = embeddings.embed(backbone, xs).get(preprocessing.layer());
        }
        return pooled.toFloatMatrix();
    }

    /**
     * One layer's frame outputs, for targets of a later HuBERT iteration
     * ({@code org.selfsup4j.speech.methods.LayerTargets}). Unlike {@link #embed} the input is taken as
     * it is: already at {@link SpeechPreprocessing#sampleRate()} and standardised, as training crops are.
     *
     * @param waveforms {@code [N, samples]}
     * @param layer 0 (projected CNN features) to {@code trunk().numLayers()}
     * @return a new array {@code [N, T, featureDim()]}
     */
    public INDArray layerFrames(INDArray waveforms, int layer) {
        Checks.notNull("SpeechEncoder.layerFrames", "waveforms", waveforms);
        synchronized (this) {
            return backbone.layerOutput(waveforms, layer);
        }
    }

    @Override
    public String toString() {
        return "SpeechEncoder[" + file() + ", " + family + ", layer " + preprocessing().layer() + " of "
                + trunk.numLayers() + ", " + preprocessing().sampleRate() + " Hz]";
    }
}
