package org.selfsup4j.augment.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.selfsup4j.augment.ViewPipeline;

class ImageTransformsTest {

    private static FloatImage noise(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return new FloatImage(d, c, h, w);
    }

    private static void assertIae(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void randomResizedCrop_sample_boxInsideWithAreaAndRatioInRange() {
        RandomResizedCrop rrc = new RandomResizedCrop(32, 32, 0.2, 0.6, 0.75, 4.0 / 3.0);
        SplittableRandom rng = new SplittableRandom(1);
        int h = 120;
        int w = 160;
        for (int k = 0; k < 2000; k++) {
            RandomResizedCrop.Params p = rrc.sample(rng, h, w);
            assertTrue(p.top() >= 0 && p.left() >= 0 && p.top() + p.height() <= h && p.left() + p.width() <= w, p.toString());
            double frac = (double) p.height() * p.width() / (h * w);
            // Rounding each side to an integer moves the area by at most one row and one column.
            assertTrue(frac >= 0.2 - 0.02 && frac <= 0.6 + 0.02, "area fraction " + frac);
            double ratio = (double) p.width() / p.height();
            assertTrue(ratio >= 0.75 * 0.9 && ratio <= 4.0 / 3.0 * 1.1, "ratio " + ratio);
        }
    }

    @Test
    void randomResizedCrop_noAttemptFits_fallsBackToTorchvisionCentralCrop() {
        // 10 rows x 100 columns, square crops of >= 90% of the area cannot fit: torchvision's fallback
        // gives in_ratio 10 > max ratio 1 -> h = 10, w = round(10 * 1) = 10, i = 0, j = (100 - 10) // 2 = 45.
        RandomResizedCrop rrc = new RandomResizedCrop(8, 8, 0.9, 1.0, 1.0, 1.0);
        assertEquals(new RandomResizedCrop.Params(0, 45, 10, 10), rrc.sample(new SplittableRandom(3), 10, 100));
        // Tall image: in_ratio 0.1 < min ratio 0.5 -> w = 10, h = round(10 / 0.5) = 20, i = (100 - 20) // 2 = 40.
        assertEquals(new RandomResizedCrop.Params(40, 0, 20, 10), RandomResizedCrop.centralFallback(100, 10, 0.5, 2.0));
        // In range: whole image.
        assertEquals(new RandomResizedCrop.Params(0, 0, 30, 40), RandomResizedCrop.centralFallback(30, 40, 0.75, 4.0 / 3.0));
    }

    @Test
    void resizedCrop_identityBox_sameSize_isIdentity() {
        FloatImage img = noise(3, 9, 11, 2);
        assertArrayEquals(img.data(), ImageOps.resizedCrop(img, 0, 0, 9, 11, 9, 11).data(), 0f);
    }

    @Test
    void hflip_twice_isIdentity_andFlipProbabilities() {
        FloatImage img = noise(3, 5, 7, 3);
        assertArrayEquals(img.data(), ImageOps.hflip(ImageOps.hflip(img)).data(), 0f);
        assertEquals(img.get(1, 2, 0), ImageOps.hflip(img).get(1, 2, 6));
        SplittableRandom rng = new SplittableRandom(4);
        assertSame(img, new RandomHorizontalFlip(0.0).apply(img, rng));
        assertArrayEquals(ImageOps.hflip(img).data(), new RandomHorizontalFlip(1.0).apply(img, rng).data(), 0f);
    }

    @Test
    void colorJitter_sample_orderIsPermutationAndFactorsInRange() {
        ColorJitter cj = new ColorJitter(0.4, 0.3, 0.2, 0.1, 0.8);
        SplittableRandom rng = new SplittableRandom(5);
        int applied = 0;
        int n = 4000;
        for (int k = 0; k < n; k++) {
            ColorJitter.Params p = cj.sample(rng);
            int[] o = p.order();
            Arrays.sort(o);
            assertArrayEquals(new int[] {0, 1, 2, 3}, o);
            assertTrue(p.brightness() >= 0.6 && p.brightness() <= 1.4);
            assertTrue(p.contrast() >= 0.7 && p.contrast() <= 1.3);
            assertTrue(p.saturation() >= 0.8 && p.saturation() <= 1.2);
            assertTrue(p.hue() >= -0.1 && p.hue() <= 0.1);
            applied += p.apply() ? 1 : 0;
        }
        assertEquals(0.8, (double) applied / n, 0.03);
        ColorJitter.Params none = new ColorJitter(0, 0.5, 0, 0, 1).sample(rng);
        assertTrue(Double.isNaN(none.brightness()) && Double.isNaN(none.hue()) && !Double.isNaN(none.contrast()));
    }

    @Test
    void colorJitter_notApplied_returnsInput() {
        FloatImage img = noise(3, 4, 4, 6);
        assertSame(img, new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.0).apply(img, new SplittableRandom(1)));
    }

    @Test
    void grayscale_keepsChannels_andChannelsEqual() {
        FloatImage g = new RandomGrayscale(1.0).apply(noise(3, 4, 5, 7), new SplittableRandom(1));
        assertEquals(3, g.channels());
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(g.get(0, y, x), g.get(2, y, x));
            }
        }
    }

    @Test
    void gaussianBlur_kernelSizeFor_followsSimclr() {
        assertEquals(3, GaussianBlur.kernelSizeFor(32));
        assertEquals(9, GaussianBlur.kernelSizeFor(96));
        assertEquals(23, GaussianBlur.kernelSizeFor(224));
        float[] k = ImageOps.gaussianKernel1d(5, 1.0);
        double sum = 0;
        for (float v : k) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-6);
        assertEquals(Math.exp(-0.5) * k[2], k[1], 1e-6);
    }

    @Test
    void gaussianBlur_constantImage_unchanged() {
        float[] d = new float[3 * 6 * 6];
        Arrays.fill(d, 0.25f);
        FloatImage out = ImageOps.gaussianBlur(new FloatImage(d, 3, 6, 6), 9, 1.5);
        for (float v : out.data()) {
            assertEquals(0.25f, v, 1e-6f);
        }
    }

    @Test
    void badParameters_throwNamingParameterAndValue() {
        assertIae(() -> new RandomResizedCrop(32, 0.0, 1.0), "scale", "0.0");
        assertIae(() -> new RandomResizedCrop(32, 0.5, 1.5), "scale", "1.5");
        assertIae(() -> new RandomResizedCrop(32, 0.8, 0.3), "scale", "min <= max", "0.8");
        assertIae(() -> new RandomResizedCrop(32, 32, 0.1, 1.0, 2.0, 1.0), "ratio", "2.0");
        assertIae(() -> new RandomResizedCrop(100_000), "size", "100000");
        assertIae(() -> new RandomHorizontalFlip(1.5), "p", "1.5");
        assertIae(() -> new RandomGrayscale(-0.1), "p", "-0.1");
        assertIae(() -> new ColorJitter(0.4, 0.4, 0.4, 0.6, 0.8), "hue", "0.6");
        assertIae(() -> new ColorJitter(-1, 0.4, 0.4, 0.1, 0.8), "brightness", "-1");
        assertIae(() -> new ColorJitter(0.4, 0.4, 0.4, 0.1, 2), "p", "2");
        assertIae(() -> new GaussianBlur(4, 0.1, 2.0, 0.5), "kernelSize", "4");
        assertIae(() -> new GaussianBlur(3, 2.0, 0.1, 0.5), "sigma", "min <= max");
        assertIae(() -> new RandomSolarize(0.5, 1.01), "p", "1.01");
        assertIae(() -> ImageRecipes.multiCrop(32, 48, 4), "localSize", "48");
        assertIae(() -> ImageOps.resizedCrop(noise(3, 4, 4, 1), 2, 2, 3, 3, 4, 4), "box", "top=2");
        assertIae(() -> new FloatImage(new float[5], 3, 2, 2), "length", "5");
    }

    @Test
    void viewPipeline_sameCoordinates_sameViews_otherCoordinates_differ() {
        FloatImage img = noise(3, 32, 32, 8);
        ViewPipeline<FloatImage> p = ImageRecipes.simclrCifar();
        List<FloatImage> a = p.views(img, 42, 3, 17);
        List<FloatImage> b = p.views(img, 42, 3, 17);
        assertEquals(a, b);
        assertNotEquals(a.get(0), a.get(1), "two views of one sample differ");
        assertNotEquals(a.get(0), p.views(img, 42, 4, 17).get(0), "epoch changes the draw");
        assertNotEquals(a.get(0), p.views(img, 43, 3, 17).get(0), "seed changes the draw");
        assertNotEquals(a.get(0), p.views(img, 42, 3, 18).get(0), "sample index changes the draw");
        assertEquals(a.get(1), p.view(img, 42, 3, 17, 1), "a view does not depend on the others");
    }

    @Test
    void recipes_produceExpectedShapesAndRange() {
        FloatImage img = noise(3, 40, 48, 9);
        for (FloatImage v : ImageRecipes.simclrCifar().views(img, 1, 0, 0)) {
            assertEquals(List.of(3, 32, 32), List.of(v.channels(), v.height(), v.width()));
            for (float x : v.data()) {
                assertTrue(x >= 0f && x <= 1f);
            }
        }
        List<FloatImage> mc = ImageRecipes.multiCrop(32, 16, 4).views(img, 1, 0, 0);
        assertEquals(6, mc.size());
        assertEquals(32, mc.get(1).height());
        assertEquals(16, mc.get(5).width());
        assertEquals(2, ImageRecipes.byol(24).numViews());
        assertEquals(9, ((GaussianBlur) ImageRecipes.simclr(96, 1.0, true).steps().get(4)).kernelSize());
        assertEquals(4, ImageRecipes.simclr(32, 0.5, false).steps().size(), "CIFAR recipe has no blur");
    }

    @Test
    void byol_views_solarizeOnlyInSecondView() {
        // Solarize with p=0 (view 0) never flips bright pixels; view 1 solarizes some of 400 samples.
        FloatImage white = new FloatImage(filled(3 * 8 * 8, 0.9f), 3, 8, 8);
        ViewPipeline<FloatImage> byol = ImageRecipes.byol(8);
        int solarized0 = 0;
        int solarized1 = 0;
        for (int i = 0; i < 400; i++) {
            // Jitter cannot take 0.9 below 0.5 often; solarizing maps most pixels under 0.5.
            solarized0 += mean(byol.view(white, 7, 0, i, 0)) < 0.3 ? 1 : 0;
            solarized1 += mean(byol.view(white, 7, 0, i, 1)) < 0.3 ? 1 : 0;
        }
        assertEquals(0, solarized0);
        assertTrue(solarized1 > 40 && solarized1 < 130, "about 20% solarized, got " + solarized1);
    }

    @Test
    void normalize_withNormalize_appliesMeanStd() {
        FloatImage img = new FloatImage(filled(3 * 2 * 2, 0.5f), 3, 2, 2);
        FloatImage n = new Normalize(new float[] {0.5f, 0.25f, 0f}, new float[] {1f, 0.5f, 2f}).apply(img);
        assertEquals(0f, n.get(0, 0, 0), 1e-7f);
        assertEquals(0.5f, n.get(1, 1, 1), 1e-7f);
        assertEquals(0.25f, n.get(2, 0, 1), 1e-7f);
        FloatImage v = ImageRecipes.withNormalize(ImageRecipes.simclrCifar(), new Normalize(Normalize.CIFAR10_MEAN,
                Normalize.CIFAR10_STD)).view(noise(3, 32, 32, 1), 0, 0, 0, 0);
        boolean outside = false;
        for (float x : v.data()) {
            outside |= x < 0f || x > 1f;
        }
        assertTrue(outside, "normalised values leave [0, 1]");
        assertFalse(Float.isNaN(v.data()[0]));
    }

    private static float[] filled(int n, float v) {
        float[] d = new float[n];
        Arrays.fill(d, v);
        return d;
    }

    private static double mean(FloatImage img) {
        double s = 0;
        for (float x : img.data()) {
            s += x;
        }
        return s / img.data().length;
    }
}
