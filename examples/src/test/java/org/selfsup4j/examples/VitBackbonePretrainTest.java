package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.encoders.VisionTransformerConfig;
import org.selfsup4j.vision.pretrained.ImageEncoder;

/**
 * {@code pretrain --backbone vit-tiny}: SimCLR and MAE on the DeiT-Tiny-sized ViT for a step or two,
 * probed and exported; MAE on a convolutional backbone is refused as a usage error.
 */
class VitBackbonePretrainTest {

    @Test
    void vitTiny_simclrTwoSteps_probesAndWritesAViTEncoderFile(@TempDir Path tmp) throws Exception {
        Path data = TinyImages.write(tmp.resolve("data"), 2, 10, 16, 3);
        Path out = tmp.resolve("run");
        int code = ErrorHandler.execute(new PretrainExample(), "--data", data.toString(), "--backbone", "vit-tiny",
                "--epochs", "1", "--batch-size", "8", "--out", out.toString());
        assertEquals(0, code, "pretrain --backbone vit-tiny must run");
        Map<String, Object> r = ResultsFile.read(out.resolve("results.json"));
        assertEquals("vit-tiny(16px/4, depth 12)", r.get("backbone"));
        assertEquals(2L, ((Number) r.get("steps")).longValue(), "16 training images of 8 per batch");
        assertTrue(Double.isFinite(((Number) r.get("knn_top1")).doubleValue()), "probed: " + r);
        ImageEncoder enc = ImageEncoder.load(Path.of((String) r.get("encoder_file")));
        assertEquals(BackboneSpec.Kind.VIT_TINY, enc.spec().kind());
        assertEquals(VisionTransformerConfig.TINY_DEPTH, enc.spec().depth());
        assertEquals(VisionTransformerConfig.TINY_DIM, enc.featureDim());
    }

    @Test
    void mae_onAShallowVitTiny_trainsAndExportsItsDepth_onAConvnet_isAUsageError(@TempDir Path tmp)
            throws Exception {
        Path data = TinyImages.write(tmp.resolve("data"), 2, 8, 16, 5);
        int code = ErrorHandler.execute(new PretrainExample(), "--data", data.toString(), "--method", "mae",
                "--backbone", "vit-tiny", "--depth", "2", "--epochs", "1", "--batch-size", "8", "--out",
                tmp.resolve("mae").toString());
        assertEquals(0, code, "pretrain --method mae --backbone vit-tiny --depth 2 must run");
        Map<String, Object> r = ResultsFile.read(tmp.resolve("mae").resolve("results.json"));
        assertEquals("vit-tiny(16px/4, depth 2)", r.get("backbone"));
        ImageEncoder enc = ImageEncoder.load(Path.of((String) r.get("encoder_file")));
        assertEquals(BackboneSpec.Kind.VIT_TINY, enc.spec().kind());
        assertEquals(2, enc.spec().depth(), "the encoder file keeps --depth");
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), "--data", data.toString(),
                "--method", "mae", "--epochs", "1", "--out", tmp.resolve("conv").toString()));
        assertEquals(ErrorHandler.USAGE, ErrorHandler.execute(new PretrainExample(), "--data", data.toString(),
                "--depth", "2", "--epochs", "1", "--out", tmp.resolve("conv-depth").toString()),
                "--depth on the convnet is a usage error");
    }
}
