package org.selfsup4j.augment.image;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.loader.BatchLoader;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.BatchSource;

/**
 * A {@link BatchSource} over in-memory images: step s is batch {@code s % stepsPerEpoch} of epoch
 * {@code s / stepsPerEpoch}, made by a {@link BatchLoader} that works ahead on its threads. Sequential
 * steps stream; any other step (a resumed run) restarts the loader at that batch, so the batch of a
 * step never depends on what was asked before.
 *
 * <p>The returned arrays are reused at the next call (one preallocated {@code [N, C, H, W]} array per
 * view), as {@link BatchSource#views} allows. Close it to stop the threads.
 */
public final class ViewBatchSource implements BatchSource, AutoCloseable {
    private final List<FloatImage> images;
    private final ViewPipeline<FloatImage> pipeline;
    private final long seed;
    private final int batchSize;
    private final int workers;
    private final long stepsPerEpoch;
    private final List<INDArray> buffers = new ArrayList<>();
    private BatchLoader<List<FloatImage>, ViewBatch> loader;
    private long loaderEpoch = -1;
    private long expectedStep = -1;
    private long waitNanosClosed;

    /**
     * @param images the dataset (not copied)
     * @param pipeline the views
     * @param seed run seed
     * @param batchSize samples per batch (the last incomplete batch of an epoch is dropped)
     * @param workers loader threads
     */
    public ViewBatchSource(List<FloatImage> images, ViewPipeline<FloatImage> pipeline, long seed, int batchSize, int workers) {
        if (batchSize <= 0 || batchSize > images.size()) {
            throw new IllegalArgumentException("ViewBatchSource: batchSize must be in [1, " + images.size() + "], got "
                    + batchSize);
        }
        this.images = images;
        this.pipeline = pipeline;
        this.seed = seed;
        this.batchSize = batchSize;
        this.workers = Checks.positive("ViewBatchSource", "workers", workers);
        this.stepsPerEpoch = images.size() / batchSize;
    }

    @Override
    public List<INDArray> views(long step) {
        Checks.nonNegative("ViewBatchSource.views", "step", step);
        long epoch = step / stepsPerEpoch;
        int batch = (int) (step % stepsPerEpoch);
        if (loader == null || epoch != loaderEpoch || step != expectedStep) {
            closeLoader();
            loader = ImageCollate.loader(images, pipeline, seed).batchSize(batchSize).workers(workers).epoch(epoch)
                    .startBatch(batch).build();
            loaderEpoch = epoch;
        }
        ViewBatch b = loader.next();
        expectedStep = step + 1;
        if (batch == stepsPerEpoch - 1) {
            closeLoader();
        }
        if (buffers.isEmpty()) {
            for (int v = 0; v < b.numViews(); v++) {
                int[] s = b.shapes().get(v);
                buffers.add(Nd4j.create(DataType.FLOAT, s[0], s[1], s[2], s[3]));
            }
        }
        for (int v = 0; v < b.numViews(); v++) {
            b.copyTo(v, buffers.get(v));
        }
        return List.copyOf(buffers);
    }

    @Override
    public long stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** @return total nanoseconds the caller waited for data (summed over epochs) */
    public long waitNanos() {
        return waitNanosClosed + (loader == null ? 0 : loader.waitNanos());
    }

    @Override
    public void close() {
        closeLoader();
    }

    private void closeLoader() {
        if (loader != null) {
            waitNanosClosed += loader.waitNanos();
            loader.close();
            loader = null;
        }
    }
}
