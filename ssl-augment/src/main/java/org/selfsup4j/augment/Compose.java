package org.selfsup4j.augment;

import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.core.Checks;

/**
 * Applies transforms one after the other, drawing from one generator in order.
 *
 * @param <T> the sample type
 */
public final class Compose<T> implements Transform<T> {
    private final List<Transform<T>> steps;

    /**
     * @param steps the transforms, in order; copied
     */
    public Compose(List<? extends Transform<T>> steps) {
        Checks.notNull("Compose", "steps", steps);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == null) {
                throw new IllegalArgumentException("Compose: steps[" + i + "] is null");
            }
        }
        this.steps = List.copyOf(steps);
    }

    /**
     * @param steps the transforms, in order
     * @param <T> the sample type
     * @return the composition
     */
    @SafeVarargs
    public static <T> Compose<T> of(Transform<T>... steps) {
        List<Transform<T>> list = new java.util.ArrayList<>(steps.length);
        for (Transform<T> t : steps) {
            list.add(t);
        }
        return new Compose<>(list);
    }

    /** @return the transforms, in order */
    public List<Transform<T>> steps() {
        return steps;
    }

    @Override
    public T apply(T input, SplittableRandom rng) {
        T x = input;
        for (Transform<T> t : steps) {
            x = t.apply(x, rng);
        }
        return x;
    }
}
