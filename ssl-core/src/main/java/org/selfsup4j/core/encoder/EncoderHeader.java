package org.selfsup4j.core.encoder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.selfsup4j.core.Checks;

/**
 * What a pretrained-encoder file says about itself, beside its arrays. Each JSON part is copied on
 * construction and on access, so a header cannot be changed after it is built.
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>field</th><th>content</th><th>example</th></tr>
 *   <tr><td>{@code modality}</td><td>{@link #IMAGE} or {@link #SPEECH}</td><td>{@code "image"}</td></tr>
 *   <tr><td>{@code backbone}</td><td>the structured configuration the modality module rebuilds the
 *       network from</td><td>{@code {"kind":"CONVNET","inChannels":3,"width":32,"dtype":"FLOAT"}}</td></tr>
 *   <tr><td>{@code preprocessing}</td><td>what a caller applies to raw input first</td>
 *       <td>{@code {"imageSize":32,"mean":[..],"std":[..],"resize":"bilinear"}}</td></tr>
 *   <tr><td>{@code provenance}</td><td>{@link EncoderProvenance#toJson()}</td>
 *       <td>{@code {"method":"simclr","steps":248,...}}</td></tr>
 * </table>
 *
 * @param modality      {@link #IMAGE} or {@link #SPEECH}
 * @param backbone      the backbone's configuration, a JSON object
 * @param preprocessing the preprocessing, a JSON object
 * @param provenance    the provenance, a JSON object ({@link EncoderProvenance#toJson()})
 */
public record EncoderHeader(String modality, ObjectNode backbone, ObjectNode preprocessing, ObjectNode provenance) {
    /** Modality of image encoders ({@code org.selfsup4j.vision.pretrained}). */
    public static final String IMAGE = "image";
    /** Modality of speech encoders ({@code org.selfsup4j.speech.pretrained}). */
    public static final String SPEECH = "speech";

    /** Validates and copies. */
    public EncoderHeader {
        Checks.notNull("EncoderHeader", "modality", modality);
        Checks.argument(IMAGE.equals(modality) || SPEECH.equals(modality), "EncoderHeader",
                "modality must be \"" + IMAGE + "\" or \"" + SPEECH + "\", got \"" + modality + "\"");
        backbone = Checks.notNull("EncoderHeader", "backbone", backbone).deepCopy();
        preprocessing = Checks.notNull("EncoderHeader", "preprocessing", preprocessing).deepCopy();
        provenance = Checks.notNull("EncoderHeader", "provenance", provenance).deepCopy();
    }

    /** @return a copy of the backbone's configuration */
    @Override
    public ObjectNode backbone() {
        return backbone.deepCopy();
    }

    /** @return a copy of the preprocessing */
    @Override
    public ObjectNode preprocessing() {
        return preprocessing.deepCopy();
    }

    /** @return a copy of the provenance */
    @Override
    public ObjectNode provenance() {
        return provenance.deepCopy();
    }
}
