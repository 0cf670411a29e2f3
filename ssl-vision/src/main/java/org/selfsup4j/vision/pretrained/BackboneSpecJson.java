package org.selfsup4j.vision.pretrained;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.vision.encoders.BackboneSpec;

/**
 * A {@link BackboneSpec} as the header's {@code backbone} object:
 * {@code {"kind":"CONVNET","inChannels":3,"width":32,"dtype":"FLOAT","seed":42}}, and for the ViT also
 * its {@code "imageSize"} and {@code "depth"} (the convolutional kinds have none, so their files read as
 * before). The seed only says which random init training started from; the loaded weights replace it.
 */
final class BackboneSpecJson {
    private BackboneSpecJson() {
    }

    static ObjectNode toJson(BackboneSpec spec) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", spec.kind().name()).put("inChannels", spec.inChannels()).put("width", spec.width())
                .put("dtype", spec.dtype().name()).put("seed", spec.seed());
        if (spec.kind() == BackboneSpec.Kind.VIT_TINY) {
            o.put("imageSize", spec.imageSize()).put("depth", spec.depth());
        }
        return o;
    }

    static BackboneSpec fromJson(HeaderFields f) throws CorruptEncoderFileException {
        String kindName = f.text("kind");
        BackboneSpec.Kind kind;
        try {
            kind = BackboneSpec.Kind.valueOf(kindName);
        } catch (IllegalArgumentException e) {
            throw f.invalid("kind", "must be one of " + Arrays.toString(BackboneSpec.Kind.values()) + ", got \""
                    + kindName + "\"");
        }
        int in = f.integer("inChannels");
        if (in != 1 && in != 3) {
            throw f.invalid("inChannels", "must be 1 or 3, got " + in);
        }
        int width = f.integer("width", 1);
        String dt = f.text("dtype");
        DataType dtype;
        if (DataType.FLOAT.name().equals(dt)) {
            dtype = DataType.FLOAT;
        } else if (DataType.DOUBLE.name().equals(dt)) {
            dtype = DataType.DOUBLE;
        } else {
            throw f.invalid("dtype", "must be \"FLOAT\" or \"DOUBLE\", got \"" + dt + "\"");
        }
        long seed = f.longInteger("seed");
        if (kind != BackboneSpec.Kind.VIT_TINY) {
            return new BackboneSpec(kind, in, width, dtype, seed);
        }
        int size = f.integer("imageSize", 1);
        int depth = f.integer("depth", 1);
        try {
            return new BackboneSpec(kind, in, width, dtype, seed, size, depth);
        } catch (IllegalArgumentException e) {
            throw f.invalid("imageSize", "must be a multiple of the vit-tiny patch (4 below 96 pixels, 8 from 96 up),"
                    + " got " + size);
        }
    }
}
