package org.selfsup4j.augment.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every functional op against torchvision 0.14 (tensor path) on a 3x13x17 image; the expected
 * outputs come from {@code make_golden.py} beside the resources. Tolerance 1e-5 absolute: the ops
 * run in float32 on both sides, and only summation order differs (contrast mean, separable vs 2-D blur).
 */
class TorchvisionGoldenTest {
    private static final double TOL = 1e-5;
    private static final String DIR = "/org/selfsup4j/augment/";

    static float[] readF32(String name) throws IOException {
        try (InputStream in = TorchvisionGoldenTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }
    }

    static FloatImage input() throws IOException {
        return new FloatImage(readF32("input.f32"), 3, 13, 17);
    }

    @TestFactory
    Stream<DynamicTest> functionalOps_matchTorchvision() throws IOException {
        JsonNode manifest;
        try (InputStream in = getClass().getResourceAsStream(DIR + "golden.json")) {
            manifest = new ObjectMapper().readTree(in);
        }
        float[] golden = readF32("golden.f32");
        FloatImage img = input();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : manifest.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                FloatImage out = run(img, c.get("op").asText(), c.get("params"));
                JsonNode shape = c.get("shape");
                assertEquals(shape.get(0).asInt(), out.channels(), "channels");
                assertEquals(shape.get(1).asInt(), out.height(), "height");
                assertEquals(shape.get(2).asInt(), out.width(), "width");
                int off = c.get("offset").asInt();
                float[] expected = new float[out.data().length];
                System.arraycopy(golden, off, expected, 0, expected.length);
                assertArrayEquals(expected, out.data(), (float) TOL, c.get("name").asText());
            }));
        }
        assertTrue(tests.size() >= 27, "all golden cases present");
        return tests.stream();
    }

    private static FloatImage run(FloatImage t, String op, JsonNode p) {
        switch (op) {
            case "resized_crop":
                return ImageOps.resizedCrop(t, p.get("top").asInt(), p.get("left").asInt(), p.get("height").asInt(),
                        p.get("width").asInt(), p.get("out_h").asInt(), p.get("out_w").asInt());
            case "hflip":
                return ImageOps.hflip(t);
            case "brightness":
                return ImageOps.adjustBrightness(t, p.get("factor").asDouble());
            case "contrast":
                return ImageOps.adjustContrast(t, p.get("factor").asDouble());
            case "saturation":
                return ImageOps.adjustSaturation(t, p.get("factor").asDouble());
            case "hue":
                return ImageOps.adjustHue(t, p.get("factor").asDouble());
            case "grayscale":
                return ImageOps.toGrayscale(t, p.get("out_channels").asInt());
            case "blur":
                return ImageOps.gaussianBlur(t, p.get("kernel").asInt(), p.get("sigma").asDouble());
            case "solarize":
                return ImageOps.solarize(t, p.get("threshold").asDouble());
            case "normalize": {
                float[] m = new float[3];
                float[] s = new float[3];
                for (int i = 0; i < 3; i++) {
                    m[i] = (float) p.get("mean").get(i).asDouble();
                    s[i] = (float) p.get("std").get(i).asDouble();
                }
                return new Normalize(m, s).apply(t);
            }
            case "jitter": {
                int[] order = new int[4];
                for (int i = 0; i < 4; i++) {
                    order[i] = p.get("order").get(i).asInt();
                }
                ColorJitter.Params params = new ColorJitter.Params(true, order, p.get("brightness").asDouble(),
                        p.get("contrast").asDouble(), p.get("saturation").asDouble(), p.get("hue").asDouble());
                return ColorJitter.apply(t, params);
            }
            case "pipeline": {
                FloatImage x = new RandomResizedCrop(16).apply(t, new RandomResizedCrop.Params(1, 2, 10, 12));
                x = new RandomHorizontalFlip(0.5).apply(x, true);
                x = ColorJitter.apply(x, new ColorJitter.Params(true, new int[] {2, 1, 3, 0}, 1.1, 0.8, 1.3, -0.05));
                x = new RandomGrayscale(0.2).apply(x, false);
                x = new GaussianBlur(3, 0.1, 2.0, 0.5).apply(x, new GaussianBlur.Params(true, 0.9));
                return new RandomSolarize(0.2).apply(x, true);
            }
            default:
                throw new IllegalStateException("unknown op " + op);
        }
    }
}
