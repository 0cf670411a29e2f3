package org.selfsup4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.augment.image.ImageCollate;
import org.selfsup4j.augment.image.ViewBatchSource;
import org.selfsup4j.augment.loader.BatchLoader;

/**
 * Each worker's share of the augmented image batches that {@link ViewBatchSource} gives
 * single-process training: global batch b of epoch e is samples {@code order[b·B, (b+1)·B)} of the
 * epoch's permutation ({@link BatchLoader#epochOrder}), and sample i's views are
 * {@code pipeline.views(image_i, seed, e, i)}. Both depend on the sample alone, never on which worker
 * computes them, so rank r augments only its {@code B / W} samples and the W shards, stacked in rank
 * order, are bit for bit the single-process batch.
 *
 * <p>The images and the pipeline are not serialized: a {@link Recipe} travels to the executors and
 * builds them there, once per task (a dataset path and view settings, not pixels).
 */
public final class ImageShardSource implements ShardSource {
    private static final long serialVersionUID = 1L;

    /** Builds the dataset and the view pipeline on the executor; deterministic, serializable. */
    public interface Recipe extends Serializable {
        /** @return the dataset, the same list (same order) on every call and every machine */
        List<FloatImage> images();

        /** @return the augmentation pipeline */
        ViewPipeline<FloatImage> pipeline();
    }

    private final Recipe recipe;
    private final long seed;
    private final int globalBatch;
    private transient List<FloatImage> images;
    private transient ViewPipeline<FloatImage> pipeline;
    private transient long orderEpoch;
    private transient int[] order;

    /**
     * @param recipe the dataset and views
     * @param seed the run's seed (the permutation's and the augmentations')
     * @param globalBatch B, samples per global batch (the last incomplete batch of an epoch is dropped)
     */
    public ImageShardSource(Recipe recipe, long seed, int globalBatch) {
        this.recipe = java.util.Objects.requireNonNull(recipe, "recipe");
        if (globalBatch < 1) {
            throw new IllegalArgumentException("ImageShardSource: expected a global batch >= 1, got " + globalBatch);
        }
        this.seed = seed;
        this.globalBatch = globalBatch;
    }

    @Override
    public List<INDArray> shard(long step, int rank, int workers) {
        load();
        if (globalBatch % workers != 0) {
            throw new IllegalArgumentException("ImageShardSource: a global batch of " + globalBatch
                    + " does not split over " + workers + " workers");
        }
        long epoch = step / stepsPerEpoch();
        int batch = (int) (step % stepsPerEpoch());
        // order == null too: a deserialized source has orderEpoch 0, not -1 (Java serialization runs
        // no field initializers of transient fields)
        if (order == null || epoch != orderEpoch) {
            order = BatchLoader.epochOrder(images.size(), true, seed, epoch);
            orderEpoch = epoch;
        }
        int n = globalBatch / workers;
        int start = batch * globalBatch + rank * n;
        List<List<FloatImage>> samples = new ArrayList<>(n);
        int[] indices = new int[n];
        for (int k = 0; k < n; k++) {
            indices[k] = order[start + k];
            samples.add(pipeline.views(images.get(indices[k]), seed, epoch, indices[k]));
        }
        return ImageCollate.collate(samples, indices).toINDArrays();
    }

    @Override
    public long stepsPerEpoch() {
        load();
        return images.size() / globalBatch;
    }

    private void load() {
        if (images == null) {
            images = List.copyOf(recipe.images());
            pipeline = recipe.pipeline();
            if (images.size() < globalBatch) {
                throw new IllegalArgumentException("ImageShardSource: a global batch of " + globalBatch
                        + " needs at least as many images, got " + images.size());
            }
        }
    }
}
