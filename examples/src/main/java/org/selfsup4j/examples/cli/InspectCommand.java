package org.selfsup4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.train.Provenance;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.examples.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code selfsup4j inspect <file>}: what a training checkpoint or an encoder file says about itself,
 * read through the container's checks ({@link CheckpointFormat#read}) and, for an encoder file, the
 * header's ({@link EncoderFile#read}), without building a model: format and version, run id, method,
 * step, provenance, backbone configuration, preprocessing, and every tensor's name, dtype and shape.
 * {@code --json} prints the same as one JSON object.
 */
@Command(name = "inspect",
        description = "Prints a checkpoint's or an encoder file's header (provenance, backbone, preprocessing, "
                + "tensors) without loading a model.")
final class InspectCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<file>", description = "a checkpoint (.ckpt) or an encoder file")
    Path file;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw UserError.data(file + (Files.isDirectory(file) ? " is a folder, expected a checkpoint or an encoder "
                    + "file" : " does not exist"), null);
        }
        Map<String, Object> h = describe(file);
        System.out.print(json ? ResultsFile.toJson(h) + "\n" : text(h));
        return 0;
    }

    /**
     * @param file a checkpoint or an encoder file
     * @return its header fields, in print order
     * @throws org.selfsup4j.core.checkpoint.CorruptCheckpointException when it is neither, or damaged
     */
    static Map<String, Object> describe(Path file) throws java.io.IOException {
        Checkpoint c = CheckpointFormat.read(file);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("file", file.toString());
        h.put("container", "selfsup4j checkpoint format version " + CheckpointFormat.VERSION);
        if (EncoderFile.FORMAT_NAME.equals(meta.get("format"))) {
            EncoderHeader e = EncoderFile.read(file).header();
            JsonNode p = e.provenance();
            h.put("kind", "encoder file");
            h.put("format", EncoderFile.FORMAT_NAME + " version " + meta.get("encoderVersion"));
            h.put("modality", e.modality());
            h.put("method", p.path("method").asText());
            h.put("step", p.path("steps").asLong());
            h.put("provenance", p);
            h.put("backbone", e.backbone());
            h.put("preprocessing", e.preprocessing());
        } else {
            h.put("kind", "training checkpoint");
            h.put("format", meta.getOrDefault(Trainer.META_FORMAT, "unknown (not written by the trainer)"));
            h.put("run_id", meta.remove(CheckpointMetadata.RUN_ID));
            h.put("method", meta.remove("method"));
            h.put("step", meta.remove(Trainer.META_STEP));
            h.put("seed", meta.remove(Trainer.META_SEED));
            h.put("dataset", meta.remove("dataset"));
            // the image command records the backbone's description, the speech command its trunk config
            h.put("backbone", meta.containsKey("backbone") ? meta.remove("backbone") : meta.remove("config"));
            Map<String, String> provenance = new LinkedHashMap<>();
            // the keys the trainer writes of the process that trained (Provenance.describe)
            for (String k : Provenance.describe().keySet()) {
                if (meta.containsKey(k)) {
                    provenance.put(k, meta.remove(k));
                }
            }
            h.put("provenance", provenance);
            meta.remove(Trainer.META_FORMAT);
            h.put("metadata", meta);
        }
        List<Map<String, Object>> tensors = new ArrayList<>();
        long elements = 0;
        for (Map.Entry<String, INDArray> a : c.arrays().entrySet()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", a.getKey());
            t.put("dtype", a.getValue().dataType().toString());
            t.put("shape", a.getValue().shape());
            tensors.add(t);
            elements += a.getValue().length();
        }
        h.put("tensor_count", tensors.size());
        h.put("tensor_elements", elements);
        h.put("tensors", tensors);
        return h;
    }

    private static String text(Map<String, Object> h) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : h.entrySet()) {
            if (e.getKey().equals("tensors")) {
                continue;
            }
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m && m.isEmpty()) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-16s %s%n", e.getKey(), v));
        }
        b.append("tensors:\n");
        for (Object o : (List<?>) h.get("tensors")) {
            Map<?, ?> t = (Map<?, ?>) o;
            b.append(String.format(Locale.ROOT, "  %-48s %-6s %s%n", t.get("name"), t.get("dtype"),
                    Arrays.toString((long[]) t.get("shape"))));
        }
        return b.toString();
    }
}
