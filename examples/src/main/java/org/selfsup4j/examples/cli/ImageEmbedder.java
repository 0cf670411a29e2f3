package org.selfsup4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.vision.data.ImageDecodeException;
import org.selfsup4j.vision.pretrained.ImageEncoder;

/** An image encoder file behind {@link Embedder}: PNG, JPEG, BMP and GIF files, decoded and preprocessed as the file says. */
record ImageEmbedder(ImageEncoder encoder) implements Embedder {
    /** The endings {@link org.selfsup4j.vision.data.ImageDecoder} reads, as the image folders of training. */
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    @Override
    public String modality() {
        return EncoderHeader.IMAGE;
    }

    @Override
    public String inputKind() {
        return "image";
    }

    @Override
    public List<String> extensions() {
        return EXTENSIONS;
    }

    @Override
    public int dim() {
        return encoder.featureDim();
    }

    @Override
    public float[][] embed(List<Path> files) throws ImageDecodeException {
        return encoder.embedFiles(files);
    }
}
