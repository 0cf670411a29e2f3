package org.selfsup4j.augment.image;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.loader.BatchLoader;

/**
 * Batch assembly for image views: stacks the v-th view of every sample into one {@code [N, C, H, W]}
 * float buffer, and builds a {@link BatchLoader} over in-memory images.
 */
public final class ImageCollate {
    private ImageCollate() {
    }

    /**
     * Stacks views: {@code samples.get(i).get(v)} becomes row i of view v.
     *
     * @param samples per sample, its views (same count and, per view, the same shape for all samples)
     * @param sampleIndices dataset indices, same order
     * @return the batch
     */
    public static ViewBatch collate(List<List<FloatImage>> samples, int[] sampleIndices) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("ImageCollate.collate: need at least one sample, got 0");
        }
        int n = samples.size();
        int nv = samples.get(0).size();
        List<float[]> data = new ArrayList<>(nv);
        List<int[]> shapes = new ArrayList<>(nv);
        for (int v = 0; v < nv; v++) {
            FloatImage first = samples.get(0).get(v);
            int c = first.channels();
            int h = first.height();
            int w = first.width();
            int per = c * h * w;
            float[] buf = new float[n * per];
            for (int i = 0; i < n; i++) {
                List<FloatImage> views = samples.get(i);
                if (views.size() != nv) {
                    throw new IllegalArgumentException("ImageCollate.collate: sample " + i + " has " + views.size()
                            + " views, sample 0 has " + nv);
                }
                FloatImage img = views.get(v);
                if (img.channels() != c || img.height() != h || img.width() != w) {
                    throw new IllegalArgumentException("ImageCollate.collate: view " + v + " of sample " + i + " is "
                            + img.channels() + "x" + img.height() + "x" + img.width() + ", sample 0's is " + c + "x" + h + "x" + w);
                }
                System.arraycopy(img.data(), 0, buf, i * per, per);
            }
            data.add(buf);
            shapes.add(new int[] {n, c, h, w});
        }
        return new ViewBatch(sampleIndices.clone(), data, shapes);
    }

    /**
     * A loader that makes the views of in-memory images with a pipeline: sample i of epoch e gets
     * {@code pipeline.views(images.get(i), seed, e, i)}.
     *
     * @param images the dataset (not copied; must not change while loading)
     * @param pipeline the views
     * @return a builder with dataset size, sample function, collator and seed set; set batch size,
     *     workers and epoch, then build
     * @param seed run seed
     */
    public static BatchLoader.Builder<List<FloatImage>, ViewBatch> loader(List<FloatImage> images,
            ViewPipeline<FloatImage> pipeline, long seed) {
        return BatchLoader.<List<FloatImage>, ViewBatch>builder(
                        (epoch, i) -> pipeline.views(images.get(i), seed, epoch, i), ImageCollate::collate)
                .datasetSize(images.size())
                .seed(seed);
    }
}
