package org.selfsup4j.vision.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.selfsup4j.augment.image.FloatImage;

/**
 * Fuzz harness of {@link ImageDecoder} (PNG, JPEG, BMP, GIF through ImageIO): any bytes either decode
 * to pixels in [0, 1] or raise {@link ImageDecodeException}, the decoder's documented exception.
 * Anything else (another exception, an {@link OutOfMemoryError}, more than {@link FuzzFiles#MAX_MILLIS_PER_INPUT} ms on one input) is a
 * finding.
 *
 * <p>The pixel limit is 2^22 (a 2048 x 2048 image) so that a valid header declaring a large image is
 * refused rather than decoded for seconds; the heap-derived budget is pinned by
 * {@code ImageDecoderTest}. Without {@code JAZZER_FUZZ} this runs the committed inputs under
 * {@code src/test/resources/org/selfsup4j/vision/data/ImageDecoderFuzzTestInputs/decode/}.
 */
class ImageDecoderFuzzTest {
    private static final ImageDecoder DECODER = new ImageDecoder(1 << 22, false);
    private static final Path FILE = FuzzFiles.temp(".img");

    @BeforeAll
    static void warmUp() {
        // Registers the ImageIO plug-ins outside the 2 s limit of the first input.
        ImageIO.scanForPlugins();
    }

    // 10,000 generated inputs under JAZZER_FUZZ=1 (FUZZING.md); ignored when running the committed inputs.
    @FuzzTest(maxExecutions = 10_000)
    void decode(byte[] data) {
        long start = System.nanoTime();
        try {
            FloatImage img = DECODER.decode(FuzzFiles.write(FILE, data));
            for (float v : img.data()) {
                if (!(v >= 0 && v <= 1)) {
                    throw new AssertionError("decoded a pixel outside [0, 1]: " + v);
                }
            }
        } catch (ImageDecodeException expected) {
            // The documented refusal.
        }
        FuzzFiles.checkTime(start);
    }

    /** Where this harness's committed inputs live, relative to the module (surefire's working directory). */
    static final Path INPUTS = Path.of("src/test/resources/org/selfsup4j/vision/data/ImageDecoderFuzzTestInputs/decode");

    /**
     * Regenerates the valid seed inputs: {@code mvn test -Dtest=ImageDecoderFuzzTest -Dselfsup4j.fuzz.writeSeeds=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "selfsup4j.fuzz.writeSeeds", matches = "true")
    void writeSeeds() throws IOException {
        FuzzFiles.writeSeeds(INPUTS, seeds());
    }

    @Test
    void committedSeeds_areTheValidSamples() throws Exception {
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Path p = INPUTS.resolve(e.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(p), "missing seed " + p);
            DECODER.decode(p);
        }
    }

    /** Small valid images in every format ImageIO reads: RGB, gray and palette PNG, JPEG, BMP, GIF. */
    static Map<String, byte[]> seeds() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        BufferedImage rgb = ImageDecoderTest.noise(6, 4);
        BufferedImage gray = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 200);
        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        palette.setRGB(0, 0, 0xFFFF0000);
        m.put("rgb.png", encode(rgb, "png"));
        m.put("gray.png", encode(gray, "png"));
        m.put("palette.png", encode(palette, "png"));
        m.put("rgb.jpg", encode(ImageDecoderTest.noise(16, 8), "jpg"));
        m.put("rgb.bmp", encode(rgb, "bmp"));
        m.put("palette.gif", encode(palette, "gif"));
        return m;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, bos)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return bos.toByteArray();
    }
}
