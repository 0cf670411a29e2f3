package org.selfsup4j.augment.image;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;

/**
 * Resizes the whole image to a fixed size (bilinear, the same sampling as {@link RandomResizedCrop},
 * see {@link ImageOps#resizedCrop}); draws nothing. Multi-crop uses it to bring a local crop, cut at
 * its small side, to the global side, where every view of a batch must share one shape.
 */
public final class Resize implements Transform<FloatImage> {
    private final int size;

    /** @param size output side, in [1, {@link RandomResizedCrop#MAX_SIZE}] */
    public Resize(int size) {
        if (size < 1 || size > RandomResizedCrop.MAX_SIZE) {
            throw new IllegalArgumentException("Resize: size must be in [1, " + RandomResizedCrop.MAX_SIZE + "], got "
                    + size);
        }
        this.size = size;
    }

    /** @return the output side */
    public int size() {
        return size;
    }

    @Override
    public FloatImage apply(FloatImage input, SplittableRandom rng) {
        if (input.height() == size && input.width() == size) {
            return input;
        }
        return ImageOps.resizedCrop(input, 0, 0, input.height(), input.width(), size, size);
    }
}
