package org.selfsup4j.core.encoder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CorruptCheckpointException;

/**
 * A pretrained encoder on disk: its {@link EncoderHeader} (modality, backbone configuration,
 * preprocessing, provenance), its weights and its buffers (batch-norm running statistics), named as
 * the backbone's own {@code parameters()} and {@code buffers()} name them (no trainer prefixes).
 *
 * <p>Layout: a file of the checkpoint format ({@link CheckpointFormat}, version 1: magic, JSON header,
 * 64-byte aligned little-endian arrays, CRC32C over everything, end marker; written atomically), whose
 * metadata and arrays are:
 *
 * <pre>
 * metadata  format         "selfsup4j-encoder"            ({@link #FORMAT_NAME})
 *           encoderVersion "1"                            ({@link #VERSION})
 *           modality       "image" | "speech"
 *           backbone       JSON object, the structured configuration
 *           preprocessing  JSON object
 *           provenance     JSON object ({@link EncoderProvenance})
 * arrays    weight/&lt;name&gt;  one per backbone parameter, in the backbone's order
 *           buffer/&lt;name&gt;  one per backbone buffer
 * </pre>
 *
 * <p>The JSON parts are stored as text values because the container's metadata is string to string;
 * {@code CheckpointFormat.read} can therefore open an encoder file too (to inspect it), and this
 * reader refuses a training checkpoint by its {@code format} field. Reading runs the container's
 * checks first, then refuses a missing or malformed field, a JSON part that is not an object, and an
 * array that is neither a weight nor a buffer, with {@link CorruptEncoderFileException} naming the file
 * and the field. Whether the arrays fit the backbone is checked by the modality module that builds it.
 *
 * @param header  the header
 * @param weights parameter name to value (copied map, order kept; arrays not copied)
 * @param buffers buffer name to value (copied map, order kept; arrays not copied)
 */
public record EncoderFile(EncoderHeader header, Map<String, INDArray> weights, Map<String, INDArray> buffers) {
    /** Value of the {@code format} metadata field. */
    public static final String FORMAT_NAME = "selfsup4j-encoder";
    /** Version of the encoder layout this class writes and reads. */
    public static final int VERSION = 1;
    /** A conventional file name for the encoder of a run: {@code <out>/encoder.selfsup4j}. */
    public static final String DEFAULT_FILE_NAME = "encoder.selfsup4j";
    /** Prefix of weight arrays. */
    public static final String WEIGHT_PREFIX = "weight/";
    /** Prefix of buffer arrays. */
    public static final String BUFFER_PREFIX = "buffer/";

    static final String FORMAT = "format";
    static final String ENCODER_VERSION = "encoderVersion";
    static final String MODALITY = "modality";
    static final String BACKBONE = "backbone";
    static final String PREPROCESSING = "preprocessing";
    static final String PROVENANCE = "provenance";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Validates names and copies the maps. */
    public EncoderFile {
        Checks.notNull("EncoderFile", "header", header);
        weights = copy("weights", weights);
        buffers = copy("buffers", buffers);
        Checks.argument(!weights.isEmpty(), "EncoderFile", "weights must not be empty");
    }

    private static Map<String, INDArray> copy(String what, Map<String, INDArray> in) {
        Checks.notNull("EncoderFile", what, in);
        Map<String, INDArray> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            Checks.argument(k != null && !k.isEmpty(), "EncoderFile", what + " names must be non-empty");
            out.put(k, Checks.notNull("EncoderFile", what + "." + k, v));
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Writes this encoder to {@code file}, atomically (see {@link CheckpointFormat#write}).
     *
     * @param file the target; its folder must exist
     * @throws IOException if writing fails (the target is then untouched)
     */
    public void write(Path file) throws IOException {
        Checks.notNull("EncoderFile.write", "file", file);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_NAME);
        meta.put(ENCODER_VERSION, Integer.toString(VERSION));
        meta.put(MODALITY, header.modality());
        meta.put(BACKBONE, JSON.writeValueAsString(header.backbone()));
        meta.put(PREPROCESSING, JSON.writeValueAsString(header.preprocessing()));
        meta.put(PROVENANCE, JSON.writeValueAsString(header.provenance()));
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        weights.forEach((k, v) -> arrays.put(WEIGHT_PREFIX + k, v));
        buffers.forEach((k, v) -> arrays.put(BUFFER_PREFIX + k, v));
        CheckpointFormat.write(file, new Checkpoint(arrays, meta));
    }

    /** Prefix of the checkpoint metadata keys that hold a run's encoder recipe ({@link #recipeMetadata}). */
    public static final String RECIPE_PREFIX = "encoder.";

    /**
     * The checkpoint metadata that lets any checkpoint of a run be exported to an encoder file
     * without the run's code or data: the modality, backbone configuration and preprocessing an
     * encoder file's header would hold, as JSON. A training run puts it into every checkpoint
     * (through the trainer's metadata), so a run killed before its end still exports.
     *
     * @param recipe the header of the run's encoder file (its provenance is not stored: a
     *               checkpoint's provenance is its own step and seed)
     * @return the metadata entries, all under {@link #RECIPE_PREFIX}
     */
    public static Map<String, String> recipeMetadata(EncoderHeader recipe) {
        Checks.notNull("EncoderFile.recipeMetadata", "recipe", recipe);
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RECIPE_PREFIX + MODALITY, recipe.modality());
        try {
            m.put(RECIPE_PREFIX + BACKBONE, JSON.writeValueAsString(recipe.backbone()));
            m.put(RECIPE_PREFIX + PREPROCESSING, JSON.writeValueAsString(recipe.preprocessing()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EncoderFile.recipeMetadata: the header does not serialise", e);
        }
        return m;
    }

    /**
     * The encoder recipe a training checkpoint carries ({@link #recipeMetadata}), as the header of the
     * encoder file it exports to.
     *
     * @param c          the checkpoint
     * @param file       its file, for messages
     * @param provenance the provenance the exported file gets
     * @return the header; empty when the checkpoint was written without a recipe (before this
     *         field existed, or by a caller that did not give one)
     * @throws CorruptEncoderFileException when the recipe is there but malformed (the message names the field)
     */
    public static Optional<EncoderHeader> recipe(Checkpoint c, Path file, EncoderProvenance provenance)
            throws CorruptEncoderFileException {
        Checks.notNull("EncoderFile.recipe", "checkpoint", c);
        Checks.notNull("EncoderFile.recipe", "provenance", provenance);
        Map<String, String> meta = c.metadata();
        String modality = meta.get(RECIPE_PREFIX + MODALITY);
        if (modality == null) {
            return Optional.empty();
        }
        if (!EncoderHeader.IMAGE.equals(modality) && !EncoderHeader.SPEECH.equals(modality)) {
            throw new CorruptEncoderFileException(file, "metadata field '" + RECIPE_PREFIX + MODALITY + "' is \""
                    + modality + "\", expected \"" + EncoderHeader.IMAGE + "\" or \"" + EncoderHeader.SPEECH + "\"");
        }
        return Optional.of(new EncoderHeader(modality, object(file, meta, RECIPE_PREFIX + BACKBONE),
                object(file, meta, RECIPE_PREFIX + PREPROCESSING), provenance.toJson()));
    }

    /**
     * Reads and verifies an encoder file.
     *
     * @param file the file
     * @return its header, weights and buffers
     * @throws CorruptEncoderFileException if the file is damaged, not an encoder file, or has a
     *                                     missing or malformed field (the message names file and field)
     * @throws IOException                 if it cannot be read
     */
    public static EncoderFile read(Path file) throws IOException {
        Checks.notNull("EncoderFile.read", "file", file);
        Checkpoint c;
        try {
            c = CheckpointFormat.read(file);
        } catch (CorruptEncoderFileException e) {
            throw e;
        } catch (CorruptCheckpointException e) {
            throw new CorruptEncoderFileException(file, e.problem(), e);
        }
        Map<String, String> meta = c.metadata();
        String format = meta.get(FORMAT);
        if (!FORMAT_NAME.equals(format)) {
            throw new CorruptEncoderFileException(file, "metadata field '" + FORMAT + "' is "
                    + (format == null ? "absent" : "\"" + format + "\"") + ", expected \"" + FORMAT_NAME
                    + "\" (a training checkpoint must be exported to an encoder file first)");
        }
        String version = field(file, meta, ENCODER_VERSION);
        if (!Integer.toString(VERSION).equals(version)) {
            throw new CorruptEncoderFileException(file, "metadata field '" + ENCODER_VERSION + "' is \"" + version
                    + "\", this reader understands version " + VERSION);
        }
        String modality = field(file, meta, MODALITY);
        if (!EncoderHeader.IMAGE.equals(modality) && !EncoderHeader.SPEECH.equals(modality)) {
            throw new CorruptEncoderFileException(file, "metadata field '" + MODALITY + "' is \"" + modality
                    + "\", expected \"" + EncoderHeader.IMAGE + "\" or \"" + EncoderHeader.SPEECH + "\"");
        }
        ObjectNode provenance = object(file, meta, PROVENANCE);
        try {
            EncoderProvenance.fromJson(provenance);
        } catch (IllegalArgumentException e) {
            throw new CorruptEncoderFileException(file, "metadata field '" + PROVENANCE + "': " + e.getMessage(), e);
        }
        EncoderHeader header = new EncoderHeader(modality, object(file, meta, BACKBONE),
                object(file, meta, PREPROCESSING), provenance);
        Map<String, INDArray> weights = new LinkedHashMap<>();
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : c.arrays().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(WEIGHT_PREFIX) && k.length() > WEIGHT_PREFIX.length()) {
                weights.put(k.substring(WEIGHT_PREFIX.length()), e.getValue());
            } else if (k.startsWith(BUFFER_PREFIX) && k.length() > BUFFER_PREFIX.length()) {
                buffers.put(k.substring(BUFFER_PREFIX.length()), e.getValue());
            } else {
                throw new CorruptEncoderFileException(file, "array '" + k + "' is neither '" + WEIGHT_PREFIX
                        + "<name>' nor '" + BUFFER_PREFIX + "<name>'");
            }
        }
        if (weights.isEmpty()) {
            throw new CorruptEncoderFileException(file, "no '" + WEIGHT_PREFIX + "' arrays: the file holds no weights");
        }
        return new EncoderFile(header, weights, buffers);
    }

    /**
     * Reads and verifies an encoder file of one modality, for that modality's loader.
     *
     * @param file          the file
     * @param modality      the modality wanted, {@link EncoderHeader#IMAGE} or {@link EncoderHeader#SPEECH}
     * @param whatItIs      the encoder wanted, for the message, e.g. {@code "an image encoder"}
     * @param loadOtherWith the loader of the other modality, for the message, e.g.
     *                      {@code "the speech module's SpeechEncoder"}
     * @return its header, weights and buffers
     * @throws CorruptEncoderFileException as {@link #read(Path)}, and when the file is of another modality
     * @throws IOException                 if it cannot be read
     */
    public static EncoderFile read(Path file, String modality, String whatItIs, String loadOtherWith)
            throws IOException {
        EncoderFile f = read(file);
        String m = f.header().modality();
        if (!modality.equals(m)) {
            throw new CorruptEncoderFileException(file, "metadata field '" + MODALITY + "' is \"" + m
                    + "\": this is not " + whatItIs + " (load it with " + loadOtherWith + ")");
        }
        return f;
    }

    /**
     * Copies this file's weights and buffers into a freshly built backbone, after
     * {@link EncoderArrays#assign} has checked that the names and shapes are the same.
     *
     * @param file        the file this was read from (for messages)
     * @param liveWeights the backbone's live parameters by name, written in place
     * @param liveBuffers the backbone's live buffers by name, written in place
     * @throws CorruptEncoderFileException naming the file and the first array that does not fit
     */
    public void assignTo(Path file, Map<String, INDArray> liveWeights, Map<String, INDArray> liveBuffers)
            throws CorruptEncoderFileException {
        EncoderArrays.assign(file, "weight", weights, liveWeights);
        EncoderArrays.assign(file, "buffer", buffers, liveBuffers);
    }

    /** The weight {@code name}; throws naming the ones present if absent. */
    public INDArray weight(String name) {
        INDArray a = weights.get(name);
        Checks.argument(a != null, "EncoderFile.weight", "no weight named '" + name + "', have " + weights.keySet());
        return a;
    }

    private static String field(Path file, Map<String, String> meta, String name) throws CorruptEncoderFileException {
        String v = meta.get(name);
        if (v == null) {
            throw new CorruptEncoderFileException(file, "metadata field '" + name + "' is absent");
        }
        return v;
    }

    private static ObjectNode object(Path file, Map<String, String> meta, String name)
            throws CorruptEncoderFileException {
        String text = field(file, meta, name);
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CorruptEncoderFileException(file, "metadata field '" + name + "' is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new CorruptEncoderFileException(file, "metadata field '" + name + "' must be a JSON object, got "
                    + (n == null ? "nothing" : n.getNodeType()));
        }
        return (ObjectNode) n;
    }
}
