package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's folder of unlabelled photos of mixed sizes: the image command pretrains on it with
 * {@code --image-size}, says that evaluation needs labels instead of failing in a probe, and still
 * writes results.json and the encoder file.
 */
class FlatFolderPretrainTest {

    private static void writeImages(Path dir, int count, long seed) throws Exception {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int w = 20 + rng.nextInt(30);
            int h = 20 + rng.nextInt(30);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, rng.nextInt(0x1000000));
                }
            }
            ImageIO.write(img, "png", dir.resolve("photo-" + i + ".png").toFile());
        }
    }

    @Test
    void flatMixedSizeFolder_withImageSize_pretrainsAndSkipsEvaluationWithASentence(@TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("photos");
        writeImages(data, 24, 7);
        Path out = tmp.resolve("run");
        int code = ErrorHandler.execute(new PretrainExample(), "--data", data.toString(), "--image-size", "16",
                "--epochs", "1", "--batch-size", "8", "--width", "8", "--out", out.toString());
        assertEquals(0, code, "a flat folder must pretrain");

        Map<String, Object> r = ResultsFile.read(out.resolve("results.json"));
        assertEquals(PretrainExample.NO_EVALUATION, r.get("evaluation"));
        assertFalse(r.containsKey("knn_top1"), "no probe scores without labels");
        assertEquals(16, ((Number) r.get("image_size")).intValue());
        assertEquals(3L, ((Number) r.get("steps")).longValue(), "24 images of 8 per batch, one epoch");
        assertTrue(Files.isRegularFile(Path.of((String) r.get("encoder_file"))), "the encoder file is written");
        assertTrue(RunSummary.of(r, out, false).text().contains("probes        skipped"), "the summary says why");
    }

    @Test
    void imageSize_outOfRange_isAUsageErrorBeforeReading(@TempDir Path tmp) {
        int code = ErrorHandler.execute(new PretrainExample(), "--image-size", "3", "--out",
                tmp.resolve("run").toString());
        assertEquals(ErrorHandler.USAGE, code);
    }
}
