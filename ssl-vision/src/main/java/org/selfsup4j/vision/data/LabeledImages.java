package org.selfsup4j.vision.data;

import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.Seeds;

/**
 * An in-memory image dataset: images, their class indices (or -1 when unlabelled) and class names.
 *
 * @param name a short name for reports (e.g. {@code "cifar10-subset/train"})
 * @param images the images, all the same shape for batching
 * @param labels class index per image, {@code 0 <= label < classNames.size()}, or -1 if unlabelled
 * @param classNames class names, index = label (empty when unlabelled)
 */
public record LabeledImages(String name, List<FloatImage> images, int[] labels, List<String> classNames) {
    public LabeledImages {
        images = List.copyOf(images);
        classNames = List.copyOf(classNames);
        if (labels.length != images.size()) {
            throw new IllegalArgumentException("LabeledImages: " + images.size() + " images but " + labels.length
                    + " labels");
        }
        labels = labels.clone();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != -1 && (labels[i] < 0 || labels[i] >= classNames.size())) {
                throw new IllegalArgumentException("LabeledImages: label " + labels[i] + " of image " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
    }

    /** @return the number of images */
    public int size() {
        return images.size();
    }

    /** @return the class indices (a copy) */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** @return the number of classes */
    public int numClasses() {
        return classNames.size();
    }

    /** @return true if every image has a label */
    public boolean labelled() {
        for (int l : labels) {
            if (l < 0) {
                return false;
            }
        }
        return !classNames.isEmpty();
    }

    /**
     * The first {@code n} images (all if fewer).
     *
     * @param n how many
     * @return the prefix
     */
    public LabeledImages head(int n) {
        int m = Math.min(n, size());
        return subset(java.util.stream.IntStream.range(0, m).toArray(), name);
    }

    /**
     * The images at the given indices, in that order.
     *
     * @param indices positions
     * @param newName the subset's name
     * @return the subset
     */
    public LabeledImages subset(int[] indices, String newName) {
        FloatImage[] imgs = new FloatImage[indices.length];
        int[] ls = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            imgs[i] = images.get(indices[i]);
            ls[i] = labels[indices[i]];
        }
        return new LabeledImages(newName, List.of(imgs), ls, classNames);
    }

    /**
     * A seeded shuffled split into (train, held-out).
     *
     * @param heldOutFraction fraction in (0, 1) held out
     * @param seed shuffle seed
     * @return two datasets, train first
     */
    public List<LabeledImages> split(double heldOutFraction, long seed) {
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("LabeledImages.split: heldOutFraction must be in (0, 1), got "
                    + heldOutFraction);
        }
        int n = size();
        int[] order = shuffledOrder(seed);
        int held = Math.max(1, (int) Math.round(n * heldOutFraction));
        if (held >= n) {
            throw new IllegalArgumentException("LabeledImages.split: " + n + " images are too few to hold out "
                    + heldOutFraction);
        }
        return List.of(subset(java.util.Arrays.copyOfRange(order, held, n), name + "[train]"),
                subset(java.util.Arrays.copyOfRange(order, 0, held), name + "[held-out]"));
    }

    /**
     * A seeded random sample of {@code n} images (all if fewer), in shuffled order. Unlike
     * {@link #head(int)} it draws from every class of a folder read in class order.
     *
     * @param n how many
     * @param seed shuffle seed
     * @return the sample
     */
    public LabeledImages sample(int n, long seed) {
        Checks.positive("LabeledImages.sample", "n", n);
        int[] order = shuffledOrder(seed);
        return subset(java.util.Arrays.copyOf(order, Math.min(n, order.length)), name);
    }

    private int[] shuffledOrder(long seed) {
        return Seeds.permutation(size(), new SplittableRandom(seed));
    }
}
