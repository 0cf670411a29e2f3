package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Seeds;

/**
 * Two float64 views of a global batch of Gaussian samples, a pure function of (seed, step): the
 * second view is the first plus small noise, so the two-view losses have a signal to follow.
 * {@link #shard} slices rank r's contiguous rows; {@link #global} is what single-process training sees.
 */
record RandomViews(long seed, int globalBatch, int dim) implements ReferenceData {

    @Override
    public List<INDArray> global(long step) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step));
        double[] a = new double[globalBatch * dim];
        double[] b = new double[globalBatch * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = Seeds.gaussian(rng);
            b[i] = a[i] + 0.3 * Seeds.gaussian(rng);
        }
        List<INDArray> views = new ArrayList<>();
        views.add(Nd4j.create(a, new long[] {globalBatch, dim}, 'c'));
        views.add(Nd4j.create(b, new long[] {globalBatch, dim}, 'c'));
        return views;
    }
}
