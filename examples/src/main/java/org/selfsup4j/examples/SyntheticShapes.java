package org.selfsup4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.vision.data.LabeledImages;

/**
 * A labelled image set generated on the spot, so the example runs on any machine: 10 classes of
 * shapes (disc, square, triangle, ring, cross, diamond, x, horizontal bars, vertical bars, frame).
 *
 * <p>The class is the shape alone. Everything else is a nuisance drawn at random for each image:
 * the hues of shape and background, a background gradient, pixel noise, position and size. Raw
 * pixels and a random-init encoder see mostly colour; the views of the self-supervised methods (crop, flip, colour jitter,
 * grayscale) leave the shape and change the nuisances, so a method has to learn shape to match
 * them, which is what the probes then measure. Every class is symmetric under a horizontal flip, so
 * the flip never changes a label.
 */
final class SyntheticShapes {
    static final List<String> CLASSES = List.of("disc", "square", "triangle", "ring", "cross", "diamond", "x",
            "hbars", "vbars", "frame");

    /** Training images per class of the default set: 2,000 images in all. */
    static final int TRAIN_PER_CLASS = 200;
    /** Evaluation images per class of the default set (another seed): 500 images in all. */
    static final int EVAL_PER_CLASS = 50;
    /** Image side. */
    static final int SIZE = 32;
    // Background channels in [0, 0.35], shape channels in [0.4, 1] and at least 0.4 apart in RGB:
    // any hue for both, the shape always visible. Drawn through a random linear gradient between two
    // background colours, plus per-image Gaussian pixel noise of std 0.02-0.06. Harder settings
    // (any colour for both, std up to 0.1) left a 2-minute run at chance; easier ones let the
    // random-init encoder's linear probe reach 0.8, with nothing left for pretraining to add.
    private static final double BACKGROUND_MAX = 0.35;
    private static final double SHAPE_MIN = 0.4;
    private static final double MIN_CONTRAST = 0.4;
    private static final double NOISE = 0.04;

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

    private static float[] colour(SplittableRandom rng) {
        return new float[] {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
    }

    private static float[] scaled(float[] c, double lo, double hi) {
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (lo + (hi - lo) * c[i]);
        }
        return c;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    private static FloatImage draw(int cls, int size, SplittableRandom rng) {
        float[] bg = scaled(colour(rng), 0, BACKGROUND_MAX);
        float[] bg2 = scaled(colour(rng), 0, BACKGROUND_MAX);
        float[] fg;
        do {
            fg = scaled(colour(rng), SHAPE_MIN, 1);
        } while (distance(fg, bg) < MIN_CONTRAST || distance(fg, bg2) < MIN_CONTRAST);
        double gx = rng.nextDouble(-1, 1);
        double gy = rng.nextDouble(-1, 1);
        double cx = size * (0.3 + 0.4 * rng.nextDouble());
        double cy = size * (0.3 + 0.4 * rng.nextDouble());
        double r = size * (0.2 + 0.12 * rng.nextDouble());
        double noise = NOISE * (0.5 + rng.nextDouble());
        int plane = size * size;
        float[] d = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double ax = Math.abs(dx);
                double ay = Math.abs(dy);
                double dist = Math.sqrt(dx * dx + dy * dy);
                boolean in = switch (cls) {
                    case 0 -> dist < r;
                    case 1 -> ax < r * 0.8 && ay < r * 0.8;
                    case 2 -> dy > -r && dy < r * 0.8 && ax < (dy + r) * 0.55;
                    case 3 -> dist < r && dist > r * 0.6;
                    case 4 -> (ax < r * 0.25 || ay < r * 0.25) && ax < r && ay < r;
                    case 5 -> ax + ay < r;
                    case 6 -> Math.abs(ax - ay) < r * 0.25 && ax < r * 0.85 && ay < r * 0.85;
                    case 7 -> ax < r && ay < r && Math.floorMod((int) Math.floor((dy + r) / (r / 2.5)), 2) == 0;
                    case 8 -> ax < r && ay < r && Math.floorMod((int) Math.floor((dx + r) / (r / 2.5)), 2) == 0;
                    default -> ax < r && ay < r && (ax > r * 0.65 || ay > r * 0.65);
                };
                double t = 0.5 + 0.5 * (gx * (x / (double) size - 0.5) + gy * (y / (double) size - 0.5)) * 2;
                t = Math.min(1, Math.max(0, t));
                for (int ch = 0; ch < 3; ch++) {
                    double back = bg[ch] * (1 - t) + bg2[ch] * t;
                    double v = (in ? fg[ch] : back) + noise * rng.nextGaussian();
                    d[ch * plane + y * size + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return new FloatImage(d, 3, size, size);
    }
}
