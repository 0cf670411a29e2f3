package org.selfsup4j.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.Seeds;

/**
 * Turns one sample into several views, one transform per view (SimCLR: the same transform twice;
 * BYOL: two different ones; multi-crop: 2 global and n local).
 *
 * <p>View {@code v} of sample {@code i} in epoch {@code e} draws from
 * {@code new SplittableRandom(Seeds.mix(seed, e, i, v))} and nothing else, so the views do not
 * depend on thread scheduling, on call order, or on the other views.
 *
 * @param <T> the sample type
 */
public final class ViewPipeline<T> {
    private final List<Transform<T>> views;

    /**
     * @param views one transform per view, at least one; copied
     */
    public ViewPipeline(List<? extends Transform<T>> views) {
        if (views == null || views.isEmpty()) {
            throw new IllegalArgumentException("ViewPipeline: views must hold at least one transform, got "
                    + (views == null ? "null" : "0"));
        }
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i) == null) {
                throw new IllegalArgumentException("ViewPipeline: views[" + i + "] is null");
            }
        }
        this.views = List.copyOf(views);
    }

    /**
     * The same transform for {@code n} views (SimCLR uses n = 2).
     *
     * @param transform the transform
     * @param n number of views, at least 1
     * @param <T> the sample type
     * @return the pipeline
     */
    public static <T> ViewPipeline<T> repeated(Transform<T> transform, int n) {
        Checks.positive("ViewPipeline.repeated", "n", n);
        List<Transform<T>> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(transform);
        }
        return new ViewPipeline<>(list);
    }

    /** @return the number of views made from each sample */
    public int numViews() {
        return views.size();
    }

    /** @return the transform of each view */
    public List<Transform<T>> transforms() {
        return views;
    }

    /**
     * The generator of one view: a pure function of its four coordinates.
     *
     * @param seed run seed
     * @param epoch epoch
     * @param sampleIndex index of the sample in the dataset
     * @param viewIndex index of the view
     * @return a fresh generator
     */
    public static SplittableRandom rng(long seed, long epoch, long sampleIndex, int viewIndex) {
        return new SplittableRandom(Seeds.mix(seed, epoch, sampleIndex, viewIndex));
    }

    /**
     * Makes one view.
     *
     * @param input the sample; not modified
     * @param seed run seed
     * @param epoch epoch
     * @param sampleIndex index of the sample in the dataset
     * @param viewIndex index of the view, in [0, numViews)
     * @return the view
     */
    public T view(T input, long seed, long epoch, long sampleIndex, int viewIndex) {
        if (viewIndex < 0 || viewIndex >= views.size()) {
            throw new IllegalArgumentException("ViewPipeline.view: viewIndex must be in [0, "
                    + views.size() + "), got " + viewIndex);
        }
        return views.get(viewIndex).apply(input, rng(seed, epoch, sampleIndex, viewIndex));
    }

    /**
     * Makes every view of one sample.
     *
     * @param input the sample; not modified
     * @param seed run seed
     * @param epoch epoch
     * @param sampleIndex index of the sample in the dataset
     * @return the views, in view order
     */
    public List<T> views(T input, long seed, long epoch, long sampleIndex) {
        List<T> out = new ArrayList<>(views.size());
        for (int v = 0; v < views.size(); v++) {
            out.add(view(input, seed, epoch, sampleIndex, v));
        }
        return out;
    }
}
