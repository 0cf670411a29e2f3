package org.selfsup4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.vision.data.LabeledImages;

/**
 * A labelled image set generated on the spot, so the example runs on any machine: 10 classes of
 * patterns (disc, square, triangle, ring, cross, horizontal / vertical / diagonal stripes,
 * checkerboard, radial gradient), each drawn in a random colour on a random dark background at a
 * random position and size, plus pixel noise.
 */
final class SyntheticShapes {
    static final List<String> CLASSES = List.of("disc", "square", "triangle", "ring", "cross", "hstripes",
            "vstripes", "dstripes", "checker", "gradient");

    private SyntheticShapes() {
    }

    static LabeledImages generate(String name, int perClass, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FloatImage> images = new ArrayList<>();
        int[] labels = new int[perClass * CLASSES.size()];
        int k = 0;
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < CLASSES.size(); c++) {
                images.add(draw(c, size, rng));
                labels[k++] = c;
            }
        }
        return new LabeledImages(name, images, labels, CLASSES);
    }

    private static FloatImage draw(int cls, int size, SplittableRandom rng) {
        float[] fg = {rng.nextFloat() * 0.7f + 0.3f, rng.nextFloat() * 0.7f + 0.3f, rng.nextFloat() * 0.7f + 0.3f};
        float[] bg = {rng.nextFloat() * 0.3f, rng.nextFloat() * 0.3f, rng.nextFloat() * 0.3f};
        double cx = size * (0.35 + 0.3 * rng.nextDouble());
        double cy = size * (0.35 + 0.3 * rng.nextDouble());
        double r = size * (0.2 + 0.15 * rng.nextDouble());
        double period = 3 + rng.nextInt(4);
        int plane = size * size;
        float[] d = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double dist = Math.sqrt(dx * dx + dy * dy);
                double a = switch (cls) {
                    case 0 -> dist < r ? 1 : 0;
                    case 1 -> Math.abs(dx) < r * 0.8 && Math.abs(dy) < r * 0.8 ? 1 : 0;
                    case 2 -> dy > -r && dy < r && Math.abs(dx) < (dy + r) / 2 ? 1 : 0;
                    case 3 -> dist < r && dist > r * 0.6 ? 1 : 0;
                    case 4 -> (Math.abs(dx) < r * 0.25 || Math.abs(dy) < r * 0.25) && dist < r * 1.2 ? 1 : 0;
                    case 5 -> Math.floorMod((int) Math.floor(y / period), 2);
                    case 6 -> Math.floorMod((int) Math.floor(x / period), 2);
                    case 7 -> Math.floorMod((int) Math.floor((x + y) / period), 2);
                    case 8 -> Math.floorMod((int) Math.floor(x / period) + (int) Math.floor(y / period), 2);
                    default -> Math.max(0, 1 - dist / (1.5 * r));
                };
                for (int ch = 0; ch < 3; ch++) {
                    double v = bg[ch] + a * (fg[ch] - bg[ch]) + 0.05 * rng.nextGaussian();
                    d[ch * plane + y * size + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new FloatImage(d, 3, size, size);
    }
}
