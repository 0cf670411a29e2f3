package org.selfsup4j.augment.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;

class ViewSpecTest {
    private static FloatImage noise(int c, int side, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * side * side];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return new FloatImage(d, c, side, side);
    }

    @Test
    void simclrCifar_buildsTheChainTheLibraryUsedBefore_sameViewsBitForBit() {
        // the chain ImageRecipes.simclr(32, 0.5, false) built by hand before ViewSpec existed
        Compose<FloatImage> before = Compose.of(new RandomResizedCrop(32), new RandomHorizontalFlip(),
                new ColorJitter(0.4, 0.4, 0.4, 0.1, 0.8), new RandomGrayscale(0.2));
        Compose<FloatImage> now = ViewSpec.simclr(ImageRecipes.SIMCLR_CIFAR_STRENGTH, 0).transform(32);
        assertEquals(4, now.steps().size());
        for (long seed = 0; seed < 20; seed++) {
            FloatImage img = noise(3, 40, seed);
            assertArrayEquals(before.apply(img, new SplittableRandom(seed)).data(),
                    now.apply(img, new SplittableRandom(seed)).data(), "seed " + seed);
        }
    }

    @Test
    void byolViews_haveTheirBlurAndSolarizeOnlyWherePositive() {
        List<Transform<FloatImage>> v1 = ViewSpec.byol(1.0, 0.0).transform(96).steps();
        List<Transform<FloatImage>> v2 = ViewSpec.byol(0.1, 0.2).transform(96).steps();
        assertEquals(5, v1.size());
        assertInstanceOf(GaussianBlur.class, v1.get(4));
        assertEquals(GaussianBlur.kernelSizeFor(96), ((GaussianBlur) v1.get(4)).kernelSize());
        assertEquals(9, GaussianBlur.kernelSizeFor(96));
        assertEquals(6, v2.size());
        assertInstanceOf(RandomSolarize.class, v2.get(5));
    }

    @Test
    void byolView_leavingOutAZeroSolarize_changesNoView() {
        Compose<FloatImage> withZero = Compose.of(new RandomResizedCrop(32), new RandomHorizontalFlip(),
                new ColorJitter(0.4, 0.4, 0.2, 0.1, 0.8), new RandomGrayscale(0.2), GaussianBlur.forSide(32, 1.0),
                new RandomSolarize(0.0));
        for (long seed = 0; seed < 10; seed++) {
            FloatImage img = noise(3, 32, seed);
            assertArrayEquals(withZero.apply(img, new SplittableRandom(seed)).data(),
                    ImageRecipes.byolView(32, 0).apply(img, new SplittableRandom(seed)).data());
        }
    }

    @Test
    void withScaleAndWithoutBlur_changeOnlyTheirField() {
        ViewSpec s = ViewSpec.simclr(1.0, 0.5);
        assertEquals(0.8, s.brightness(), 1e-12);
        assertEquals(0.2, s.hue(), 1e-12);
        ViewSpec t = s.withScale(0.2, 1.0).withoutBlur();
        assertEquals(new ViewSpec(0.2, 1.0, s.brightness(), s.contrast(), s.saturation(), s.hue(), 0.8, 0.2, 0, 0), t);
    }

    @Test
    void badValues_refusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ViewSpec(0.5, 0.4, 0, 0, 0, 0, 0, 0, 0, 0));
        assertTrue(e.getMessage().contains("scaleMax"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ViewSpec.byol(1.5, 0));
        assertTrue(e.getMessage().contains("blurP"), e.getMessage());
    }

    @Test
    void resize_bringsAnyImageToItsSide() {
        FloatImage small = noise(3, 12, 1);
        FloatImage big = new Resize(32).apply(small, new SplittableRandom(0));
        assertEquals(32, big.height());
        assertEquals(32, big.width());
        assertEquals(3, big.channels());
        assertThrows(IllegalArgumentException.class, () -> new Resize(0));
    }
}
