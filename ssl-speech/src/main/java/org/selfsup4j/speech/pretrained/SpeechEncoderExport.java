package org.selfsup4j.speech.pretrained;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.encoder.EncoderArrays;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.speech.methods.SpeechMethods;
import org.selfsup4j.speech.model.SpeechBackbone;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * Writes speech encoder files ({@link EncoderFile}, modality {@code speech}) from a trained trunk or
 * from a training checkpoint of wav2vec 2.0, HuBERT or ILS-SSL. The header's backbone part is the
 * method family and the whole {@link Wav2Vec2Config}; the arrays are the trunk's (feature encoder,
 * layer norm, projection, mask embedding, transformer), not the method's heads or quantizer.
 *
 * <pre>{@code
 * SpeechEncoderExport.export(setup.backbone(), trunk, "hubert", SpeechPreprocessing.of(8000, layer, embeddings),
 *         EncoderProvenance.of("hubert", "fsdd", steps, seed, probes), out.resolve(EncoderFile.DEFAULT_FILE_NAME));
 * }</pre>
 */
public final class SpeechEncoderExport {
    private SpeechEncoderExport() {
    }

    /**
     * @param backbone      the trained trunk (its live weights are copied)
     * @param trunk         the configuration it was built from
     * @param family        {@code wav2vec2}, {@code hubert} or {@code ils-ssl} (aliases accepted)
     * @param preprocessing what its inputs went through, and the layer to read
     * @param provenance    where it came from
     * @return the encoder file's content
     * @throws IllegalArgumentException when trunk, backbone and preprocessing disagree
     */
    public static EncoderFile encoderFile(SpeechBackbone backbone, Wav2Vec2Config trunk, String family,
            SpeechPreprocessing preprocessing, EncoderProvenance provenance) {
        Checks.notNull("SpeechEncoderExport", "backbone", backbone);
        check(trunk, preprocessing, provenance);
        Checks.argument(backbone.dataType() == DataType.FLOAT, "SpeechEncoderExport",
                "the trunk must be FLOAT, got " + backbone.dataType());
        Map<String, INDArray> weights = copies(TrunkArrays.liveWeights(backbone));
        Map<String, INDArray> buffers = copies(TrunkArrays.liveBuffers(backbone));
        SpeechBackbone fresh = fresh(trunk);
        sameLayout(TrunkArrays.liveWeights(fresh), weights);
        sameLayout(TrunkArrays.liveBuffers(fresh), buffers);
        return new EncoderFile(header(trunk, SpeechMethods.resolve(family), preprocessing, provenance), weights, buffers);
    }

    /**
     * Writes {@link #encoderFile} to {@code out} (atomically).
     *
     * @param backbone      the trained trunk
     * @param trunk         its configuration
     * @param family        the method family
     * @param preprocessing its preprocessing and layer
     * @param provenance    where it came from
     * @param out           the file; its folder must exist
     * @return {@code out}
     * @throws IOException if writing fails
     */
    public static Path export(SpeechBackbone backbone, Wav2Vec2Config trunk, String family,
            SpeechPreprocessing preprocessing, EncoderProvenance provenance, Path out) throws IOException {
        encoderFile(backbone, trunk, family, preprocessing, provenance).write(out);
        return out;
    }

    /**
     * Exports the trunk stored in a training checkpoint: the feature encoder from the trainer's
     * encoder ({@code param/encoder.*}), the context network from the objective
     * ({@code param/objective.*}).
     *
     * @param checkpoint    a checkpoint the trainer wrote for a speech method
     * @param trunk         the run's trunk configuration
     * @param family        the method family
     * @param preprocessing its preprocessing and layer
     * @param provenance    where it came from, e.g. {@link EncoderProvenance#fromCheckpoint}
     * @param out           the file to write
     * @return {@code out}
     * @throws IOException              if the checkpoint cannot be read or the file written
     * @throws IllegalArgumentException when the checkpoint holds no trunk of this configuration
     */
    public static Path export(Path checkpoint, Wav2Vec2Config trunk, String family, SpeechPreprocessing preprocessing,
            EncoderProvenance provenance, Path out) throws IOException {
        Checks.notNull("SpeechEncoderExport.export", "checkpoint", checkpoint);
        check(trunk, preprocessing, provenance);
        String fam = SpeechMethods.resolve(family);
        Checkpoint c = CheckpointFormat.read(checkpoint);
        SpeechBackbone fresh = fresh(trunk);
        Map<String, INDArray> fe = EncoderArrays.fromCheckpoint(c, TrunkArrays.CKPT_FEATURE_PARAMS,
                EncoderArrays.live("", fresh.featureEncoder().parameters()));
        Map<String, INDArray> ctx = EncoderArrays.fromCheckpoint(c, TrunkArrays.CKPT_CONTEXT_PARAMS,
                EncoderArrays.live("", fresh.contextParameters()));
        Map<String, INDArray> bufs = EncoderArrays.fromCheckpoint(c, TrunkArrays.CKPT_FEATURE_BUFFERS,
                fresh.featureEncoder().buffers());
        if (fe == null || ctx == null || bufs == null) {
            throw new IllegalArgumentException("SpeechEncoderExport.export: checkpoint " + checkpoint + " holds no trunk"
                    + " of " + trunk + " (" + (fe == null ? "feature encoder under '" + TrunkArrays.CKPT_FEATURE_PARAMS
                    : ctx == null ? "context network under '" + TrunkArrays.CKPT_CONTEXT_PARAMS
                    : "feature-encoder buffers under '" + TrunkArrays.CKPT_FEATURE_BUFFERS) + "' missing or of "
                    + "other shapes)");
        }
        Map<String, INDArray> weights = new LinkedHashMap<>();
        fe.forEach((k, v) -> weights.put(TrunkArrays.FEATURE_ENCODER + k, v));
        weights.putAll(ctx);
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        bufs.forEach((k, v) -> buffers.put(TrunkArrays.FEATURE_ENCODER + k, v));
        new EncoderFile(header(trunk, fam, preprocessing, provenance), weights, buffers).write(out);
        return out;
    }

    /**
     * The recipe a speech run puts into every checkpoint's metadata, so that {@link #export(Path, EncoderHeader, Path)}
     * turns any of its checkpoints into an encoder file ({@link EncoderFile#recipeMetadata}). Before the
     * run's probe has chosen a layer the preprocessing names a default one (the caller's choice).
     *
     * @param trunk         the run's trunk configuration
     * @param family        the method family
     * @param preprocessing the run's sample rate, normalisation and layer
     * @return the metadata entries
     */
    public static Map<String, String> recipeMetadata(Wav2Vec2Config trunk, String family,
            SpeechPreprocessing preprocessing) {
        check(trunk, preprocessing, EncoderProvenance.of("recipe", "recipe", 0, 0, Map.of()));
        return EncoderFile.recipeMetadata(new EncoderHeader(EncoderHeader.SPEECH,
                TrunkJson.toJson(SpeechMethods.resolve(family), trunk), preprocessing.toJson(),
                JsonNodeFactory.instance.objectNode()));
    }

    /**
     * Exports a checkpoint by the recipe it carries ({@link EncoderFile#recipe}).
     *
     * @param checkpoint the checkpoint's file
     * @param recipe     its recipe, with the provenance the file gets
     * @param out        the file to write
     * @return {@code out}
     * @throws IOException when the checkpoint cannot be read, the recipe is malformed or the file cannot be written
     */
    public static Path export(Path checkpoint, EncoderHeader recipe, Path out) throws IOException {
        Checks.notNull("SpeechEncoderExport.export", "recipe", recipe);
        HeaderFields bf = new HeaderFields(checkpoint, "backbone", recipe.backbone());
        return export(checkpoint, TrunkJson.trunk(bf), TrunkJson.family(bf),
                SpeechPreprocessing.fromJson(new HeaderFields(checkpoint, "preprocessing", recipe.preprocessing())),
                EncoderProvenance.fromJson(recipe.provenance()), out);
    }

    /** A trunk of {@code trunk}'s shapes; its random weights are overwritten or only looked at. */
    static SpeechBackbone fresh(Wav2Vec2Config trunk) {
        return new SpeechBackbone(trunk, DataType.FLOAT, new SplittableRandom(0));
    }

    private static void check(Wav2Vec2Config trunk, SpeechPreprocessing preprocessing, EncoderProvenance provenance) {
        Checks.notNull("SpeechEncoderExport", "trunk", trunk);
        Checks.notNull("SpeechEncoderExport", "preprocessing", preprocessing);
        Checks.notNull("SpeechEncoderExport", "provenance", provenance);
        Checks.argument(preprocessing.layer() <= trunk.numLayers(), "SpeechEncoderExport",
                "layer must be in [0, " + trunk.numLayers() + "], got " + preprocessing.layer());
    }

    private static EncoderHeader header(Wav2Vec2Config trunk, String family, SpeechPreprocessing pre,
            EncoderProvenance p) {
        return new EncoderHeader(EncoderHeader.SPEECH, TrunkJson.toJson(family, trunk), pre.toJson(), p.toJson());
    }

    private static Map<String, INDArray> copies(Map<String, INDArray> live) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        live.forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }

    private static void sameLayout(Map<String, INDArray> expected, Map<String, INDArray> got) {
        Checks.argument(expected.keySet().equals(got.keySet()), "SpeechEncoderExport",
                "the trunk's arrays " + got.keySet() + " are not those of the configuration's " + expected.keySet());
        expected.forEach((k, v) -> Checks.argument(java.util.Arrays.equals(v.shape(), got.get(k).shape()),
                "SpeechEncoderExport", "'" + k + "' has shape " + java.util.Arrays.toString(got.get(k).shape())
                        + ", the configuration's trunk " + java.util.Arrays.toString(v.shape())));
    }
}
