package org.selfsup4j.core.encoder;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.nn.Parameter;

/**
 * Moving named arrays between a live backbone, an {@link EncoderFile} and a training checkpoint, for
 * the modality modules' exporters and loaders. Names are the backbone's own; a training checkpoint
 * keeps them under the trainer's prefixes ({@code param/encoder.backbone.}, {@code buffer/encoder.},
 * {@code param/objective.}), which {@link #fromCheckpoint} strips.
 */
public final class EncoderArrays {
    private EncoderArrays() {
    }

    /**
     * @param prefix prepended to every name (e.g. {@code "feature_encoder."}), or {@code ""}
     * @param params live parameters
     * @return name to a copy of the value, in order
     */
    public static Map<String, INDArray> copies(String prefix, List<Parameter> params) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Parameter p : params) {
            out.put(prefix + p.name(), p.value().dup());
        }
        return out;
    }

    /**
     * @param prefix prepended to every name, or {@code ""}
     * @param buffers live buffers
     * @return name to a copy of the value, in order
     */
    public static Map<String, INDArray> copies(String prefix, Map<String, INDArray> buffers) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        buffers.forEach((k, v) -> out.put(prefix + k, v.dup()));
        return out;
    }

    /**
     * @param prefix prepended to every name, or {@code ""}
     * @param params live parameters
     * @return name to the live value (not copied), for {@link #assign}
     */
    public static Map<String, INDArray> live(String prefix, List<Parameter> params) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Parameter p : params) {
            out.put(prefix + p.name(), p.value());
        }
        return out;
    }

    /**
     * Copies {@code stored} into {@code live} after checking that both hold exactly the same names
     * with the same shapes.
     *
     * @param file   the encoder file (for messages)
     * @param what   {@code "weight"} or {@code "buffer"}
     * @param stored arrays read from the file
     * @param live   the backbone's live arrays, written in place
     * @throws CorruptEncoderFileException naming the file and the first array that is missing, extra
     *                                     or of another shape
     */
    public static void assign(Path file, String what, Map<String, INDArray> stored, Map<String, INDArray> live)
            throws CorruptEncoderFileException {
        for (Map.Entry<String, INDArray> e : live.entrySet()) {
            INDArray s = stored.get(e.getKey());
            if (s == null) {
                throw new CorruptEncoderFileException(file, what + " '" + e.getKey() + "' is missing: the backbone the "
                        + "header describes needs " + new TreeSet<>(live.keySet()));
            }
            if (!Arrays.equals(s.shape(), e.getValue().shape())) {
                throw new CorruptEncoderFileException(file, what + " '" + e.getKey() + "' has shape "
                        + Arrays.toString(s.shape()) + ", the backbone the header describes needs "
                        + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String k : stored.keySet()) {
            if (!live.containsKey(k)) {
                throw new CorruptEncoderFileException(file, what + " '" + k + "' is not part of the backbone the header "
                        + "describes");
            }
        }
        live.forEach((k, v) -> v.assign(stored.get(k)));
    }

    /**
     * The arrays named {@code checkpointPrefix + name} for every {@code name} of {@code like}, renamed
     * to {@code name}, or null when any is missing or has another shape (the caller then tries another
     * prefix, or reports).
     *
     * @param c                a training checkpoint
     * @param checkpointPrefix e.g. {@code "param/encoder.backbone."}
     * @param like             the names and shapes wanted (a freshly built backbone's live arrays)
     * @return the arrays (not copied), or null
     */
    public static Map<String, INDArray> fromCheckpoint(Checkpoint c, String checkpointPrefix, Map<String, INDArray> like) {
        Checks.notNull("EncoderArrays.fromCheckpoint", "checkpoint", c);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : like.entrySet()) {
            INDArray a = c.arrays().get(checkpointPrefix + e.getKey());
            if (a == null || !Arrays.equals(a.shape(), e.getValue().shape())) {
                return null;
            }
            out.put(e.getKey(), a);
        }
        return out;
    }
}
