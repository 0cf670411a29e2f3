package org.selfsup4j.vision.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.eval.Features;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;

/**
 * A ViT backbone from pretraining to use: two MAE steps (whose trainer network is the ViT on kept
 * patches plus a mask counter), exported live and from the checkpoint, loaded fresh, embeds
 * bit-identically to the trained backbone on all patches.
 */
class VisionTransformerEncoderFileTest {
    static final BackboneSpec SPEC = new BackboneSpec(BackboneSpec.Kind.VIT_TINY, 3, 1, DataType.FLOAT, 5,
            ImageEncoderTest.SIZE, 1);

    @TempDir
    static Path dir;
    static PretrainSetup setup;
    static Path checkpoint;
    static List<FloatImage> images;

    @BeforeAll
    static void trainTwoMaeSteps() {
        images = ImageEncoderTest.noiseImages(ImageEncoderTest.BATCH, 9).stream().map(ImageEncoderTest::toFloat)
                .toList();
        setup = Methods.assemble("mae", new MethodConfig(SPEC, ImageEncoderTest.SIZE, 2, 1e-3, 32, 0,
                ImageEncoderTest.NORMALIZE));
        checkpoint = ImageEncoderTest.trainTwoSteps(setup, images, dir.resolve("ckpt"));
    }

    private static void assertEmbedsAsTrained(Path file) throws IOException {
        ImageEncoder enc = ImageEncoder.load(file);
        assertEquals(SPEC, enc.spec());
        assertEquals(192, enc.featureDim());
        float[][] expected = Features.extract(setup.backbone().module(), images, ImageEncoderTest.NORMALIZE,
                Features.DEFAULT_BATCH).toFloatMatrix();
        float[][] got = enc.embedImages(images);
        for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(expected[i], got[i], 0f, "image " + i);
        }
    }

    @Test
    void exportedLive_loadedFresh_embedsBitIdentically() throws IOException {
        assertEmbedsAsTrained(ImageEncoderExport.export(setup.backbone(), SPEC,
                ImagePreprocessing.of(ImageEncoderTest.SIZE, ImageEncoderTest.NORMALIZE), ImageEncoderTest.provenance(),
                dir.resolve("live.selfsup4j")));
    }

    @Test
    void exportedFromTheMaeCheckpoint_loadedFresh_embedsBitIdentically() throws IOException {
        assertEmbedsAsTrained(ImageEncoderExport.export(checkpoint, SPEC,
                ImagePreprocessing.of(ImageEncoderTest.SIZE, ImageEncoderTest.NORMALIZE),
                EncoderProvenance.fromCheckpoint(CheckpointFormat.read(checkpoint), Map.of()),
                dir.resolve("from-ckpt.selfsup4j")));
    }

    @Test
    void header_carriesImageSizeAndDepth_andAnImageSizeThePatchDoesNotDivideIsRefused() throws IOException {
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC,
                ImagePreprocessing.of(ImageEncoderTest.SIZE, ImageEncoderTest.NORMALIZE), ImageEncoderTest.provenance(),
                dir.resolve("header.selfsup4j"));
        EncoderFile f = EncoderFile.read(file);
        assertEquals(16, f.header().backbone().get("imageSize").asInt());
        assertEquals(1, f.header().backbone().get("depth").asInt());
        var backbone = f.header().backbone();
        backbone.put("imageSize", 18);
        Path bad = dir.resolve("bad-size.selfsup4j");
        new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, backbone, f.header().preprocessing(),
                f.header().provenance()), f.weights(), f.buffers()).write(bad);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> ImageEncoder.load(bad));
        assertTrue(e.getMessage().contains("backbone.imageSize") && e.getMessage().contains("got 18"), e.getMessage());
    }
}
