package org.selfsup4j.vision.pretrained;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.encoder.EncoderArrays;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;

/**
 * Writes image encoder files ({@link EncoderFile}, modality {@code image}) from a trained backbone or
 * from a training checkpoint. The backbone part of the header is the {@link BackboneSpec}; weights and
 * buffers are the backbone module's own {@code parameters()} and {@code buffers()} (batch-norm running
 * statistics: the eval-mode forward needs them).
 *
 * <pre>{@code
 * ImageEncoderExport.export(setup.backbone(), spec, ImagePreprocessing.of(32, normalize),
 *         EncoderProvenance.of("simclr", "cifar10", steps, seed, probes), out.resolve(EncoderFile.DEFAULT_FILE_NAME));
 * }</pre>
 */
public final class ImageEncoderExport {
    /**
     * Where the method assemblies keep the backbone in a training checkpoint, tried in order: inside
     * {@code backbone + head} (contrastive and distillation methods), or as the whole encoder (AE, VAE).
     * The denoising AE's {@code mask + backbone} chain matches the first.
     */
    static final List<String> CHECKPOINT_PREFIXES = List.of("encoder.backbone.", "encoder.");

    private ImageEncoderExport() {
    }

    /**
     * @param backbone     the trained backbone (its live weights are copied)
     * @param spec         the recipe it was built from
     * @param preprocessing what its inputs went through in training
     * @param provenance   where it came from
     * @return the encoder file's content
     * @throws IllegalArgumentException when spec and backbone or preprocessing disagree
     */
    public static EncoderFile encoderFile(Backbone backbone, BackboneSpec spec, ImagePreprocessing preprocessing,
            EncoderProvenance provenance) {
        Checks.notNull("ImageEncoderExport", "backbone", backbone);
        check(spec, preprocessing, provenance);
        Backbone fresh = spec.build();
        Map<String, INDArray> weights = EncoderArrays.copies("", backbone.module().parameters());
        Map<String, INDArray> buffers = EncoderArrays.copies("", backbone.module().buffers());
        sameLayout(EncoderArrays.live("", fresh.module().parameters()), weights, "the backbone's parameters");
        sameLayout(fresh.module().buffers(), buffers, "the backbone's buffers");
        return new EncoderFile(header(spec, preprocessing, provenance), weights, buffers);
    }

    /**
     * Writes {@link #encoderFile} to {@code out} (atomically).
     *
     * @param backbone      the trained backbone
     * @param spec          the recipe it was built from
     * @param preprocessing what its inputs went through in training
     * @param provenance    where it came from
     * @param out           the file to write; its folder must exist
     * @return {@code out}
     * @throws IOException if writing fails
     */
    public static Path export(Backbone backbone, BackboneSpec spec, ImagePreprocessing preprocessing,
            EncoderProvenance provenance, Path out) throws IOException {
        encoderFile(backbone, spec, preprocessing, provenance).write(out);
        return out;
    }

    /**
     * Exports the backbone stored in a training checkpoint: builds {@code spec}'s backbone for its
     * names and shapes and takes the arrays from the checkpoint under {@link #CHECKPOINT_PREFIXES}.
     *
     * @param checkpoint    a checkpoint the trainer wrote ({@code param/encoder.backbone.*} ...)
     * @param spec          the backbone's recipe (the run's {@code --backbone}, {@code --width}, channels)
     * @param preprocessing what its inputs went through in training
     * @param provenance    where it came from, e.g. {@link EncoderProvenance#fromCheckpoint}
     * @param out           the file to write
     * @return {@code out}
     * @throws IOException              if the checkpoint cannot be read (a damaged one raises
     *                                  {@link org.selfsup4j.core.checkpoint.CorruptCheckpointException})
     *                                  or the file cannot be written
     * @throws IllegalArgumentException when the checkpoint holds no backbone of {@code spec}'s shape
     */
    public static Path export(Path checkpoint, BackboneSpec spec, ImagePreprocessing preprocessing,
            EncoderProvenance provenance, Path out) throws IOException {
        Checks.notNull("ImageEncoderExport.export", "checkpoint", checkpoint);
        check(spec, preprocessing, provenance);
        Checkpoint c = CheckpointFormat.read(checkpoint);
        Backbone fresh = spec.build();
        Map<String, INDArray> params = EncoderArrays.live("", fresh.module().parameters());
        Map<String, INDArray> bufs = fresh.module().buffers();
        for (String prefix : CHECKPOINT_PREFIXES) {
            Map<String, INDArray> w = EncoderArrays.fromCheckpoint(c, "param/" + prefix, params);
            Map<String, INDArray> b = EncoderArrays.fromCheckpoint(c, "buffer/" + prefix, bufs);
            if (w != null && b != null) {
                new EncoderFile(header(spec, preprocessing, provenance), w, b).write(out);
                return out;
            }
        }
        throw new IllegalArgumentException("ImageEncoderExport.export: checkpoint " + checkpoint + " holds no "
                + spec.kind() + " backbone of width " + spec.width() + " with " + spec.inChannels() + " channels under "
                + CHECKPOINT_PREFIXES + " (looked for " + params.size() + " parameters, e.g. '"
                + params.keySet().iterator().next() + "')");
    }

    /**
     * The recipe an image run puts into every checkpoint's metadata, so that {@link #export(Path, EncoderHeader, Path)}
     * turns any of its checkpoints into an encoder file ({@link EncoderFile#recipeMetadata}).
     *
     * @param spec          the run's backbone
     * @param preprocessing the run's image size and normalisation
     * @return the metadata entries
     */
    public static Map<String, String> recipeMetadata(BackboneSpec spec, ImagePreprocessing preprocessing) {
        check(spec, preprocessing, EncoderProvenance.of("recipe", "recipe", 0, 0, Map.of()));
        return EncoderFile.recipeMetadata(new EncoderHeader(EncoderHeader.IMAGE, BackboneSpecJson.toJson(spec),
                preprocessing.toJson(), JsonNodeFactory.instance.objectNode()));
    }

    /**
     * Exports a checkpoint by the recipe it carries ({@link EncoderFile#recipe}).
     *
     * @param checkpoint the checkpoint's file
     * @param recipe     its recipe, with the provenance the file gets
     * @param out        the file to write
     * @return {@code out}
     * @throws IOException when the checkpoint cannot be read, the recipe is malformed or the file cannot be written
     */
    public static Path export(Path checkpoint, EncoderHeader recipe, Path out) throws IOException {
        Checks.notNull("ImageEncoderExport.export", "recipe", recipe);
        BackboneSpec spec = BackboneSpecJson.fromJson(new HeaderFields(checkpoint, "backbone", recipe.backbone()));
        ImagePreprocessing pre = ImagePreprocessing.fromJson(new HeaderFields(checkpoint, "preprocessing",
                recipe.preprocessing()));
        return export(checkpoint, spec, pre, EncoderProvenance.fromJson(recipe.provenance()), out);
    }

    private static void check(BackboneSpec spec, ImagePreprocessing preprocessing, EncoderProvenance provenance) {
        Checks.notNull("ImageEncoderExport", "spec", spec);
        Checks.notNull("ImageEncoderExport", "preprocessing", preprocessing);
        Checks.notNull("ImageEncoderExport", "provenance", provenance);
        Checks.argument(spec.inChannels() == preprocessing.channels(), "ImageEncoderExport",
                "spec has " + spec.inChannels() + " input channels, the preprocessing " + preprocessing.channels());
    }

    private static EncoderHeader header(BackboneSpec spec, ImagePreprocessing preprocessing, EncoderProvenance p) {
        return new EncoderHeader(EncoderHeader.IMAGE, BackboneSpecJson.toJson(spec), preprocessing.toJson(), p.toJson());
    }

    private static void sameLayout(Map<String, INDArray> expected, Map<String, INDArray> got, String what) {
        Checks.argument(expected.keySet().equals(got.keySet()), "ImageEncoderExport",
                what + " " + got.keySet() + " are not those of the spec's backbone " + expected.keySet());
        expected.forEach((k, v) -> Checks.argument(java.util.Arrays.equals(v.shape(), got.get(k).shape()),
                "ImageEncoderExport", what + ": '" + k + "' has shape " + java.util.Arrays.toString(got.get(k).shape())
                        + ", the spec's backbone " + java.util.Arrays.toString(v.shape())));
    }
}
