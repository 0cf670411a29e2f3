package org.selfsup4j.vision.pretrained;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.augment.image.ViewBatch;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.eval.Features;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;

/**
 * From pretraining to use: a tiny SimCLR run of 2 steps, exported live and from its checkpoint, loaded
 * in fresh objects, embeds bit-identically to the training-time backbone's eval-mode features.
 */
class ImageEncoderTest {
    static final int SIZE = 16;
    static final int BATCH = 8;
    static final Normalize NORMALIZE = new Normalize(new float[] {0.45f, 0.5f, 0.55f}, new float[] {0.2f, 0.25f, 0.3f});
    static final BackboneSpec SPEC = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 5);

    @TempDir
    static Path dir;
    static PretrainSetup setup;
    static Path checkpoint;
    static List<FloatImage> images;
    static List<BufferedImage> buffered;

    @BeforeAll
    static void trainTwoSteps() {
        buffered = noiseImages(BATCH, 7);
        images = buffered.stream().map(ImageEncoderTest::toFloat).toList();
        setup = Methods.assemble("simclr", new MethodConfig(SPEC, SIZE, 2, 3e-3, 32, 16, NORMALIZE));
        checkpoint = trainTwoSteps(setup, images, dir.resolve("ckpt"));
    }

    /** 8-bit noise images of side {@link #SIZE} (so a BufferedImage and its FloatImage are the same input). */
    static List<BufferedImage> noiseImages(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage b = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            int[] argb = new int[SIZE * SIZE];
            for (int j = 0; j < argb.length; j++) {
                argb[j] = 0xFF000000 | r.nextInt(1 << 24);
            }
            b.setRGB(0, 0, SIZE, SIZE, argb, 0, SIZE);
            out.add(b);
        }
        return out;
    }

    static FloatImage toFloat(BufferedImage b) {
        return FloatImage.fromArgb(b.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE), SIZE, SIZE);
    }

    /** Two training steps of {@code s} on {@code images}; returns the checkpoint written into {@code ckpt}. */
    static Path trainTwoSteps(PretrainSetup s, List<FloatImage> images, Path ckpt) {
        Trainer trainer = new Trainer(Trainer.Config.of(3, 2).withCheckpoints(ckpt, 100)
                .withMetadata(Map.of("method", s.method(), "dataset", "noise")), s.encoder(), s.objective(),
                s.optimizer());
        ViewBatch batch = ImageCollate.collate(images.stream().map(im -> s.views().views(im, 1, 0, 0)).toList(),
                new int[images.size()]);
        trainer.step(batch.toINDArrays(), 1);
        trainer.step(batch.toINDArrays(), 1);
        return trainer.saveCheckpoint();
    }

    static float[][] trainingTimeFeatures() {
        return Features.extract(setup.backbone().module(), images, NORMALIZE, Features.DEFAULT_BATCH).toFloatMatrix();
    }

    static EncoderProvenance provenance() {
        return EncoderProvenance.of("simclr", "noise", 2, 3, Map.of("knn_top1", 0.25));
    }

    @Test
    void exportedLive_loadedFresh_embedsBitIdentically() throws IOException {
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                provenance(), dir.resolve("live.selfsup4j"));
        ImageEncoder enc = ImageEncoder.load(file);
        float[][] expected = trainingTimeFeatures();
        assertEquals(setup.backbone().featureDim(), enc.featureDim());
        float[][] batch = enc.embedImages(images);
        float[][] fromBuffered = enc.embed(buffered);
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(expected[i], batch[i], 0f, "image " + i);
            assertArrayEquals(expected[i], fromBuffered[i], 0f, "BufferedImage " + i);
        }
        assertArrayEquals(expected[3], enc.embed(buffered.get(3)), 0f);
    }

    @Test
    void exportedFromCheckpoint_loadedFresh_embedsBitIdentically() throws IOException {
        Checkpoint c = CheckpointFormat.read(checkpoint);
        Path file = ImageEncoderExport.export(checkpoint, SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                EncoderProvenance.fromCheckpoint(c, Map.of()), dir.resolve("from-ckpt.selfsup4j"));
        ImageEncoder enc = ImageEncoder.load(file);
        float[][] expected = trainingTimeFeatures();
        float[][] got = enc.embedImages(images);
        for (int i = 0; i < BATCH; i++) {
            assertArrayEquals(expected[i], got[i], 0f, "image " + i);
        }
        EncoderProvenance p = EncoderProvenance.fromJson(enc.header().provenance());
        assertEquals("simclr", p.method());
        assertEquals("noise", p.dataset());
        assertEquals(2, p.steps());
        assertEquals(3, p.seed());
    }

    @Test
    void load_header_roundTripsSpecAndPreprocessing() throws IOException {
        ImagePreprocessing pre = ImagePreprocessing.of(SIZE, NORMALIZE);
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, pre, provenance(), dir.resolve("rt.selfsup4j"));
        ImageEncoder enc = ImageEncoder.load(file);
        assertEquals(SPEC, enc.spec());
        assertEquals(pre, enc.preprocessing());
        assertEquals(EncoderHeader.IMAGE, enc.header().modality());
        assertEquals(provenance().probes(), EncoderProvenance.fromJson(enc.header().provenance()).probes());
    }

    @Test
    void embed_otherSizeAndGray_resizedAndConvertedAsThePreprocessingSays() throws IOException {
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                provenance(), dir.resolve("resize.selfsup4j"));
        ImageEncoder enc = ImageEncoder.load(file);
        FloatImage big = FloatImage.zeros(1, 24, 20);
        float[] e = enc.embed(big);
        assertEquals(enc.featureDim(), e.length);
        FloatImage same = enc.preprocessing().apply(big);
        assertEquals(3, same.channels());
        assertEquals(SIZE, same.height());
        assertEquals(SIZE, same.width());
    }

    @Test
    void load_wrongShapes_refusedNamingTheWeight() throws IOException {
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                provenance(), dir.resolve("shape.selfsup4j"));
        EncoderFile f = EncoderFile.read(file);
        // The same weights described as a wider backbone.
        BackboneSpec wider = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 5);
        Path lying = dir.resolve("lying.selfsup4j");
        new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, BackboneSpecJson.toJson(wider),
                f.header().preprocessing(), f.header().provenance()), f.weights(), f.buffers()).write(lying);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> ImageEncoder.load(lying));
        assertTrue(e.getMessage().contains(lying.toString()) && e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void load_badHeaderField_refusedNamingFileAndField() throws IOException {
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                provenance(), dir.resolve("field.selfsup4j"));
        EncoderFile f = EncoderFile.read(file);
        var pre = f.header().preprocessing();
        pre.put("imageSize", "large");
        Path bad = dir.resolve("bad-field.selfsup4j");
        new EncoderFile(new EncoderHeader(EncoderHeader.IMAGE, f.header().backbone(), pre, f.header().provenance()),
                f.weights(), f.buffers()).write(bad);
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> ImageEncoder.load(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("preprocessing.imageSize"),
                e.getMessage());
    }

    @Test
    void load_trainingCheckpointOrTruncatedFile_refusedWithTypedException() throws IOException {
        assertThrows(CorruptEncoderFileException.class, () -> ImageEncoder.load(checkpoint));
        Path file = ImageEncoderExport.export(setup.backbone(), SPEC, ImagePreprocessing.of(SIZE, NORMALIZE),
                provenance(), dir.resolve("trunc.selfsup4j"));
        byte[] b = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.selfsup4j");
        Files.write(cut, java.util.Arrays.copyOf(b, b.length / 2));
        CorruptEncoderFileException e = assertThrows(CorruptEncoderFileException.class, () -> ImageEncoder.load(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void exportFromCheckpoint_wrongSpec_throwsNamingTheCheckpoint() {
        BackboneSpec wider = new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 8, DataType.FLOAT, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageEncoderExport.export(
                checkpoint, wider, ImagePreprocessing.of(SIZE, NORMALIZE), provenance(), dir.resolve("x.selfsup4j")));
        assertTrue(e.getMessage().contains(checkpoint.toString()), e.getMessage());
    }
}
