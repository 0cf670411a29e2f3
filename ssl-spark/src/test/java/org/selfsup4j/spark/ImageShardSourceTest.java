package org.selfsup4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageRecipes;
import org.selfsup4j.augment.image.ViewBatchSource;

/**
 * The W workers' image shards, stacked in rank order, are bit for bit the batches single-process
 * training reads from {@link ViewBatchSource} (SimCLR's CIFAR augmentations), across an epoch boundary.
 */
class ImageShardSourceTest {
    private static final int IMAGES = 20;
    private static final int BATCH = 6;
    private static final long SEED = 9;

    /** 20 random 32x32 RGB images and SimCLR's CIFAR views. */
    record RandomImages() implements ImageShardSource.Recipe {
        @Override
        public List<FloatImage> images() {
            SplittableRandom rng = new SplittableRandom(4);
            List<FloatImage> out = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                float[] px = new float[3 * 32 * 32];
                for (int k = 0; k < px.length; k++) {
                    px[k] = (float) rng.nextDouble();
                }
                out.add(new FloatImage(px, 3, 32, 32));
            }
            return out;
        }

        @Override
        public ViewPipeline<FloatImage> pipeline() {
            return ImageRecipes.simclrCifar();
        }
    }

    @Test
    void shardsStackToTheSingleProcessBatches() {
        RandomImages recipe = new RandomImages();
        try (ViewBatchSource single = new ViewBatchSource(recipe.images(), recipe.pipeline(), SEED, BATCH, 1)) {
            ImageShardSource sharded = new ImageShardSource(recipe, SEED, BATCH);
            assertEquals(single.stepsPerEpoch(), sharded.stepsPerEpoch());
            // three steps per epoch: steps 0..4 cross into the second epoch's permutation
            for (long step = 0; step < 5; step++) {
                List<INDArray> expected = single.views(step);
                for (int workers : new int[] {1, 2, 3}) {
                    for (int v = 0; v < expected.size(); v++) {
                        List<INDArray> parts = new ArrayList<>();
                        for (int r = 0; r < workers; r++) {
                            parts.add(sharded.shard(step, r, workers).get(v));
                        }
                        INDArray stacked = Nd4j.concat(0, parts.toArray(new INDArray[0]));
                        // exact: INDArray.equals would allow 1e-5
                        assertArrayEquals(expected.get(v).shape(), stacked.shape());
                        assertArrayEquals(expected.get(v).dup('c').data().asFloat(), stacked.dup('c').data().asFloat(),
                                "step " + step + ", view " + v + ", " + workers + " workers");
                    }
                }
            }
        }
    }
}
