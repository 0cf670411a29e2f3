package org.selfsup4j.core.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.train.Trainer;

/**
 * Where a pretrained encoder came from: the method and data, the run's length and seed, the project
 * version and commit that trained it, the run's probe results, and the machine (as a checkpoint's
 * {@link CheckpointMetadata#provenance()}).
 *
 * <p>The commit is read from the system property {@value #COMMIT_PROPERTY}, else the environment
 * variable {@value #COMMIT_ENV} (the {@code ./pretrain} script sets it from {@code git rev-parse HEAD}
 * when run in a checkout), else it is {@value #UNKNOWN}. A build-time resource was not worth its
 * plugin: a jar built outside a checkout would carry a stale or empty commit anyway.
 *
 * @param method      the pretraining method, e.g. {@code "simclr"}
 * @param dataset     the training data's name
 * @param steps       optimizer steps the weights saw
 * @param seed        the run's seed
 * @param version     the selfsup4j version ({@value #UNKNOWN} outside a packaged jar)
 * @param commit      the selfsup4j commit, or {@value #UNKNOWN}
 * @param probes      the run's probe results by name (e.g. {@code knn_top1}), in insertion order
 * @param environment machine and library facts, e.g. {@code java}, {@code nd4j.backend}, {@code created}
 */
public record EncoderProvenance(String method, String dataset, long steps, long seed, String version, String commit,
                                Map<String, Double> probes, Map<String, String> environment) {
    /** System property naming the project commit. */
    public static final String COMMIT_PROPERTY = "selfsup4j.commit";
    /** Environment variable naming the project commit, read when the property is unset. */
    public static final String COMMIT_ENV = "SELFSUP4J_COMMIT";
    /** The value of a version or commit that could not be found. */
    public static final String UNKNOWN = "unknown";

    /** Validates and copies the maps (order kept). */
    public EncoderProvenance {
        Checks.notNull("EncoderProvenance", "method", method);
        Checks.notNull("EncoderProvenance", "dataset", dataset);
        Checks.nonNegative("EncoderProvenance", "steps", steps);
        Checks.notNull("EncoderProvenance", "version", version);
        Checks.notNull("EncoderProvenance", "commit", commit);
        probes = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.notNull("EncoderProvenance", "probes", probes)));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(
                Checks.notNull("EncoderProvenance", "environment", environment)));
        probes.forEach((k, v) -> Checks.notNull("EncoderProvenance", "probes." + k, v));
        environment.forEach((k, v) -> Checks.notNull("EncoderProvenance", "environment." + k, v));
    }

    /**
     * Provenance of this process: version, {@link #currentCommit()} and the machine filled in.
     *
     * @param method  the pretraining method
     * @param dataset the training data's name
     * @param steps   optimizer steps the weights saw
     * @param seed    the run's seed
     * @param probes  the run's probe results (may be empty)
     * @return the provenance
     */
    public static EncoderProvenance of(String method, String dataset, long steps, long seed, Map<String, Double> probes) {
        Map<String, String> env = CheckpointMetadata.provenance();
        String version = env.remove(CheckpointMetadata.LIBRARY_VERSION);
        return new EncoderProvenance(method, dataset, steps, seed, version == null ? UNKNOWN : version, currentCommit(),
                probes, env);
    }

    /**
     * Provenance of the weights in a training checkpoint: method and dataset from its metadata (the
     * examples record them; {@value #UNKNOWN} when absent), steps and seed from the trainer's, and this
     * process's version, commit and machine (the export's, which may differ from the training's).
     *
     * @param c      a training checkpoint ({@link org.selfsup4j.core.train.Trainer#snapshot()})
     * @param probes the run's probe results, if known (may be empty)
     * @return the provenance
     * @throws IllegalArgumentException when the checkpoint has no numeric step or seed
     */
    public static EncoderProvenance fromCheckpoint(Checkpoint c, Map<String, Double> probes) {
        Checks.notNull("EncoderProvenance.fromCheckpoint", "checkpoint", c);
        Map<String, String> m = c.metadata();
        long steps;
        long seed;
        try {
            steps = Long.parseLong(String.valueOf(m.get(Trainer.META_STEP)));
            seed = Long.parseLong(String.valueOf(m.get(Trainer.META_SEED)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("EncoderProvenance.fromCheckpoint: not a trainer checkpoint (metadata '"
                    + Trainer.META_STEP + "' = " + m.get(Trainer.META_STEP) + ", '" + Trainer.META_SEED + "' = "
                    + m.get(Trainer.META_SEED) + ")", e);
        }
        return of(m.getOrDefault("method", UNKNOWN), m.getOrDefault("dataset", UNKNOWN), steps, seed, probes);
    }

    /** @return the commit from {@value #COMMIT_PROPERTY} or {@value #COMMIT_ENV}, else {@value #UNKNOWN} */
    public static String currentCommit() {
        String c = System.getProperty(COMMIT_PROPERTY);
        if (c == null || c.isBlank()) {
            c = System.getenv(COMMIT_ENV);
        }
        return c == null || c.isBlank() ? UNKNOWN : c.trim();
    }

    /** @return {@code {"method":..,"dataset":..,"steps":..,"seed":..,"version":..,"commit":..,"probes":{..},"environment":{..}}} */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("method", method).put("dataset", dataset).put("steps", steps).put("seed", seed).put("version", version)
                .put("commit", commit);
        ObjectNode p = o.putObject("probes");
        probes.forEach(p::put);
        ObjectNode e = o.putObject("environment");
        environment.forEach(e::put);
        return o;
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the provenance
     * @throws IllegalArgumentException naming the first field that is missing or of the wrong type
     */
    public static EncoderProvenance fromJson(JsonNode json) {
        Checks.argument(json != null && json.isObject(), "EncoderProvenance.fromJson", "provenance must be an object");
        Map<String, Double> probes = entries(json, "probes", JsonNode::isNumber, "a number", JsonNode::doubleValue);
        Map<String, String> env = entries(json, "environment", JsonNode::isTextual, "a string", JsonNode::textValue);
        long steps = integer(json, "steps");
        Checks.argument(steps >= 0, "EncoderProvenance.fromJson", "field 'steps' must be >= 0, got " + steps);
        return new EncoderProvenance(text(json, "method"), text(json, "dataset"), steps, integer(json, "seed"),
                text(json, "version"), text(json, "commit"), probes, env);
    }

    /** The members of the object {@code field}, each checked by {@code ok} and read by {@code value}, in order. */
    private static <T> Map<String, T> entries(JsonNode json, String field, Predicate<JsonNode> ok, String expected,
            Function<JsonNode, T> value) {
        Map<String, T> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(json, field).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Checks.argument(ok.test(f.getValue()), "EncoderProvenance.fromJson",
                    "field '" + field + "." + f.getKey() + "' must be " + expected + ", got " + f.getValue());
            out.put(f.getKey(), value.apply(f.getValue()));
        }
        return out;
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        Checks.argument(n != null && n.isTextual(), "EncoderProvenance.fromJson",
                "field '" + field + "' must be a string, got " + n);
        return n.textValue();
    }

    private static long integer(JsonNode json, String field) {
        JsonNode n = json.get(field);
        Checks.argument(n != null && n.isIntegralNumber() && n.canConvertToLong(), "EncoderProvenance.fromJson",
                "field '" + field + "' must be an integer, got " + n);
        return n.longValue();
    }

    private static JsonNode object(JsonNode json, String field) {
        JsonNode n = json.get(field);
        Checks.argument(n != null && n.isObject(), "EncoderProvenance.fromJson",
                "field '" + field + "' must be an object, got " + n);
        return n;
    }
}
