package org.selfsup4j.examples.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.core.train.StepReport;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.speech.eval.LayerProbeResult;
import org.selfsup4j.speech.model.Wav2Vec2Config;

class SpeechResultsJsonTest {
    /**
     * The fields the hand-written writer of SpeechPretrainExample wrote, in its order, plus
     * {@code openblas_coretype} (added after the move to Jackson, beside {@code cpus}).
     */
    private static final List<String> FIELDS = List.of("method", "dataset", "train_seconds", "linear_top1",
            "random_init_linear_top1", "mfcc_linear_top1", "probe_layer", "random_init_probe_layer",
            "heldout_top1_by_layer", "random_init_heldout_top1_by_layer", "steps", "minutes_budget", "eval_seconds",
            "cpus", "openblas_coretype", "load_average_before_after_training", "seed", "batch", "samples", "lr", "final_loss",
            "final_metrics", "config", "protocol");

    /** The writer SpeechPretrainExample used before Jackson, kept here as the reference. */
    private static String legacyJson(Object o, String indent) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  \"").append(e.getKey()).append("\": ")
                        .append(legacyJson(e.getValue(), indent + "  "));
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            return sb.append(indent).append("}").toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(legacyJson(l.get(i), indent));
            }
            return sb.append("]").toString();
        }
        if (o instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? n.toString() : "null";
        }
        return "\"" + String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static SpeechPretrainExample example() {
        SpeechPretrainExample ex = new SpeechPretrainExample();
        ex.method = "ils";
        ex.minutes = 8;
        ex.seed = 0;
        ex.batch = 8;
        ex.samples = 4000;
        ex.lr = 5e-4;
        return ex;
    }

    private static Map<String, Object> baselines() {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("random_init_linear_top1", 0.6433333333333333);
        base.put("random_init_probe_layer", 1);
        base.put("random_init_heldout_top1_by_layer", List.of(0.5, 0.61, 0.6, 0.58));
        base.put("mfcc_linear_top1", 0.94);
        return base;
    }

    private static void assertSameAsLegacy(Map<String, Object> res, Path dir) throws Exception {
        assertEquals(FIELDS, new ArrayList<>(res.keySet()));
        ObjectMapper m = new ObjectMapper();
        JsonNode legacy = m.readTree(legacyJson(res, ""));
        Path file = dir.resolve("results.json");
        ResultsFile.write(file, res);
        JsonNode written = m.readTree(file.toFile());
        assertEquals(legacy, written);
        List<String> names = new ArrayList<>();
        written.fieldNames().forEachRemaining(names::add);
        assertEquals(FIELDS, names);
    }

    @Test
    void results_jacksonFile_hasTheFieldsAndValuesOfTheHandWrittenWriter(@TempDir Path dir) throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.81);
        metrics.put("layer1", 2.5);
        StepReport last = new StepReport(1359, 100000, 4, 3.25, false, 1e-7, 2.8, 1e3, 0.5, metrics);
        SpeechPretrainExample.Run run = new SpeechPretrainExample.Run(1360, 480.123, "4.20 3.1 2.0", "5.11 4 3",
                List.of(last));
        LayerProbeResult learned = new LayerProbeResult(2, List.of(0.8, 0.9, 0.95, 0.93), 0.9433333333333334);
        Map<String, Object> res = example().results(Wav2Vec2Config.small(), run, learned, baselines(), 61.5);
        assertSameAsLegacy(res, dir);
        JsonNode n = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals("ils", n.get("method").asText());
        assertEquals(1360, n.get("steps").asLong());
        assertEquals(2, n.get("probe_layer").asInt());
        assertEquals(0.81, n.get("final_metrics").get("accuracy").asDouble(), 0.0);
        assertEquals(Wav2Vec2Config.small().toString(), n.get("config").asText());
    }

    @Test
    void results_noSteps_writeNullForTheNaNLossAsBefore(@TempDir Path dir) throws Exception {
        SpeechPretrainExample.Run run = new SpeechPretrainExample.Run(0, 0.0, "unknown", "unknown", List.of());
        LayerProbeResult learned = new LayerProbeResult(0, List.of(0.1, Double.NaN), 0.1);
        Map<String, Object> res = example().results(Wav2Vec2Config.small(), run, learned, baselines(), 1.0);
        assertSameAsLegacy(res, dir);
        JsonNode n = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertTrue(n.get("final_loss").isNull());
        assertTrue(n.get("heldout_top1_by_layer").get(1).isNull());
        assertTrue(n.get("final_metrics").isObject() && n.get("final_metrics").isEmpty());
    }
}
