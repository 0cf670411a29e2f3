package org.selfsup4j.augment.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ViewBatchSourceTest {

    private static List<FloatImage> images(int n) {
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] d = new float[3 * 12 * 12];
            for (int k = 0; k < d.length; k++) {
                d[k] = ((k * 13 + i * 7) % 50) / 49f;
            }
            out.add(new FloatImage(d, 3, 12, 12));
        }
        return out;
    }

    @Test
    void views_resumedStep_equalsStreamedStep_andShapesMatch() {
        List<FloatImage> imgs = images(24);
        float[][] streamed = new float[7][];
        try (ViewBatchSource src = new ViewBatchSource(imgs, ImageRecipes.simclrImageNet(8), 5, 8, 2)) {
            assertEquals(3, src.stepsPerEpoch());
            for (int s = 0; s < 7; s++) {
                List<INDArray> v = src.views(s);
                assertEquals(2, v.size());
                assertArrayEquals(new long[] {8, 3, 8, 8}, v.get(0).shape());
                streamed[s] = v.get(1).data().asFloat();
            }
            assertTrue(src.waitNanos() > 0);
        }
        try (ViewBatchSource src = new ViewBatchSource(imgs, ImageRecipes.simclrImageNet(8), 5, 8, 3)) {
            assertArrayEquals(streamed[4], src.views(4).get(1).data().asFloat(), 0f, "resume at step 4 (epoch 1, batch 1)");
            assertArrayEquals(streamed[2], src.views(2).get(1).data().asFloat(), 0f, "jump back to step 2");
        }
    }
}
