package org.selfsup4j.speech.pretrained;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.speech.methods.SpeechMethods;
import org.selfsup4j.speech.model.Wav2Vec2Config;

/**
 * The header's {@code backbone} object of a speech encoder: which method family trained the trunk
 * ({@link SpeechMethods#NAMES}; all three share {@link org.selfsup4j.speech.model.SpeechBackbone}) and
 * every field of its {@link Wav2Vec2Config}, by component name:
 * {@code {"family":"hubert","dtype":"FLOAT","trunk":{"convChannels":[..],...,"featurePenaltyWeight":10.0}}}.
 * The objective fields (masking, quantizer, loss weights) do not change the trunk's forward; they are
 * kept so that the configuration is the one the run used, whole.
 */
final class TrunkJson {
    private TrunkJson() {
    }

    static ObjectNode toJson(String family, Wav2Vec2Config c) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("family", family).put("dtype", "FLOAT");
        ObjectNode t = o.putObject("trunk");
        ints(t.putArray("convChannels"), c.convChannels());
        ints(t.putArray("convKernels"), c.convKernels());
        ints(t.putArray("convStrides"), c.convStrides());
        t.put("modelDim", c.modelDim()).put("numLayers", c.numLayers()).put("numHeads", c.numHeads())
                .put("ffnDim", c.ffnDim()).put("posConvKernel", c.posConvKernel()).put("posConvGroups", c.posConvGroups())
                .put("maskProb", c.maskProb()).put("maskLength", c.maskLength()).put("minMasks", c.minMasks())
                .put("codebookGroups", c.codebookGroups()).put("codebookEntries", c.codebookEntries())
                .put("codevectorDim", c.codevectorDim()).put("finalDim", c.finalDim())
                .put("maxTemperature", c.maxTemperature()).put("minTemperature", c.minTemperature())
                .put("temperatureDecay", c.temperatureDecay()).put("numDistractors", c.numDistractors())
                .put("featureGradMult", c.featureGradMult()).put("logitTemperature", c.logitTemperature())
                .put("diversityWeight", c.diversityWeight()).put("featurePenaltyWeight", c.featurePenaltyWeight());
        return o;
    }

    private static void ints(ArrayNode a, int[] v) {
        for (int x : v) {
            a.add(x);
        }
    }

    /** @return the family, checked against {@link SpeechMethods#NAMES} */
    static String family(HeaderFields f) throws CorruptEncoderFileException {
        String family = f.text("family");
        if (!SpeechMethods.NAMES.contains(family)) {
            throw f.invalid("family", "must be one of " + SpeechMethods.NAMES + ", got \"" + family + "\"");
        }
        if (!"FLOAT".equals(f.text("dtype"))) {
            throw f.invalid("dtype", "must be \"FLOAT\", got \"" + f.text("dtype") + "\"");
        }
        return family;
    }

    static Wav2Vec2Config trunk(HeaderFields backbone) throws CorruptEncoderFileException {
        var node = backbone.json().get("trunk");
        if (node == null || !node.isObject()) {
            throw backbone.invalid("trunk", "must be an object, got " + node);
        }
        HeaderFields t = new HeaderFields(backbone.file(), backbone.part() + ".trunk", node);
        try {
            return new Wav2Vec2Config(t.ints("convChannels"), t.ints("convKernels"), t.ints("convStrides"),
                    t.integer("modelDim"), t.integer("numLayers"), t.integer("numHeads"), t.integer("ffnDim"),
                    t.integer("posConvKernel"), t.integer("posConvGroups"), t.number("maskProb"), t.integer("maskLength"),
                    t.integer("minMasks"), t.integer("codebookGroups"), t.integer("codebookEntries"),
                    t.integer("codevectorDim"), t.integer("finalDim"), t.number("maxTemperature"),
                    t.number("minTemperature"), t.number("temperatureDecay"), t.integer("numDistractors"),
                    t.number("featureGradMult"), t.number("logitTemperature"), t.number("diversityWeight"),
                    t.number("featurePenaltyWeight"));
        } catch (IllegalArgumentException e) {
            throw new CorruptEncoderFileException(backbone.file(), "header field 'backbone.trunk' is no valid trunk: "
                    + e.getMessage(), e);
        }
    }
}
