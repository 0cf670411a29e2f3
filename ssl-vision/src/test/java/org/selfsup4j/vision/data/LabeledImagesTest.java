package org.selfsup4j.vision.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.selfsup4j.augment.image.FloatImage;

class LabeledImagesTest {
    /** 10 classes of 100 images each, stored class by class as an image folder reads them. */
    private static LabeledImages classOrdered() {
        List<FloatImage> images = new ArrayList<>();
        int[] labels = new int[1000];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            names.add("class" + c);
            for (int i = 0; i < 100; i++) {
                labels[c * 100 + i] = c;
                images.add(new FloatImage(new float[] {c * 100 + i}, 1, 1, 1));
            }
        }
        return new LabeledImages("ordered", images, labels, names);
    }

    @Test
    void headOfAClassOrderedSetHoldsOnlyTheFirstClasses() {
        assertEquals(2, Arrays.stream(classOrdered().head(200).labels()).distinct().count());
    }

    @Test
    void sampleDrawsEveryClassInRoughProportion() {
        int[] counts = new int[10];
        for (int l : classOrdered().sample(200, 7).labels()) {
            counts[l]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(counts[c] >= 8 && counts[c] <= 35, "class " + c + " drew " + counts[c] + " of 200");
        }
    }

    @Test
    void sampleIsDeterministicPerSeedAndHasNoRepeats() {
        LabeledImages data = classOrdered();
        float[] a = pixels(data.sample(300, 1));
        assertArrayEquals(a, pixels(data.sample(300, 1)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(pixels(data.sample(300, 2))));
        assertEquals(300, a.length);
        float[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            assertNotEquals(sorted[i - 1], sorted[i], "image drawn twice");
        }
    }

    @Test
    void sampleOfMoreThanTheSetReturnsEveryImage() {
        assertEquals(1000, classOrdered().sample(5000, 3).size());
    }

    @Test
    void sampleRejectsAnEmptyRequest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classOrdered().sample(0, 1));
        assertTrue(e.getMessage().contains("n must be > 0, got"), e.getMessage());
    }

    private static float[] pixels(LabeledImages d) {
        float[] p = new float[d.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = d.images().get(i).data()[0];
        }
        return p;
    }
}
