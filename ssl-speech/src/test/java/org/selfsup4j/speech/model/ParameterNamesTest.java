package org.selfsup4j.speech.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Parameter;

/** Parameter names and their order are part of the checkpoint format (and of fairseq's naming): pin them. */
class ParameterNamesTest {
    private static List<String> names(List<Parameter> ps) {
        return ps.stream().map(Parameter::name).toList();
    }

    /** The context network's names for {@link Wav2Vec2Config#tiny()}: 2 positional groups, 2 layers. */
    private static List<String> context() {
        List<String> n = new ArrayList<>(List.of("layer_norm.weight", "layer_norm.bias", "post_extract_proj.weight",
                "post_extract_proj.bias", "mask_emb", "encoder.pos_conv.g0.weight", "encoder.pos_conv.g0.bias",
                "encoder.pos_conv.g1.weight", "encoder.pos_conv.g1.bias", "encoder.layer_norm.weight",
                "encoder.layer_norm.bias"));
        for (int l = 0; l < 2; l++) {
            for (String part : List.of("attn.qkv", "attn.out", "ln1", "fc1", "fc2", "ln2")) {
                n.add("encoder.layers" + l + "." + part + ".weight");
                n.add("encoder.layers" + l + "." + part + ".bias");
            }
        }
        return n;
    }

    @Test
    void wav2vec2_objectiveParameters_keepTheirNamesAndOrder() {
        List<String> expected = context();
        expected.addAll(List.of("quantizer.weight_proj.weight", "quantizer.weight_proj.bias", "quantizer.vars",
                "project_q.weight", "project_q.bias", "final_proj.weight", "final_proj.bias"));
        assertEquals(expected, names(new Wav2Vec2Model(Wav2Vec2Config.tiny(), DataType.FLOAT, 1).objectiveParameters()));
    }

    @Test
    void ilsSsl_objectiveParameters_keepTheirNamesAndOrder() {
        List<String> expected = context();
        expected.addAll(List.of("head1.proj", "head1.bias", "head1.label_embs", "head2.proj", "head2.bias",
                "head2.label_embs"));
        HubertModel m = new HubertModel(HubertConfig.ilsSsl(Wav2Vec2Config.tiny(), 3, 4, 1, 2), DataType.FLOAT, 1);
        assertEquals(expected, names(m.objectiveParameters()));
    }
}
