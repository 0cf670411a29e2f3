package org.selfsup4j.augment.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;

/**
 * SpecAugment masking (Park et al. 2019) on a spectrogram {@code [F][T]}: {@code count} masks along
 * one axis, each of width uniform in [0, maxWidth] (clipped to the axis) at a uniform start, filled
 * with a value. The paper's LibriSpeech basic policy: frequency F=27 once, time T=100 once.
 */
public final class SpecAugmentMask implements Transform<float[][]> {
    /** Which axis to mask. */
    public enum Axis {
        /** Rows: frequency bins. */
        FREQUENCY,
        /** Columns: frames. */
        TIME
    }

    /** SpecAugment LB policy: frequency mask width F. */
    public static final int LB_FREQUENCY_WIDTH = 27;
    /** SpecAugment LB policy: time mask width T. */
    public static final int LB_TIME_WIDTH = 100;

    /**
     * One mask: the indices {@code [start, start + width)} of the masked axis.
     *
     * @param start first masked index, &gt;= 0
     * @param width masked indices, &gt;= 0
     */
    public record Band(int start, int width) {
        /** Checks both. */
        public Band {
            Checks.nonNegative("SpecAugmentMask.Band", "start", start);
            Checks.nonNegative("SpecAugmentMask.Band", "width", width);
        }

        /** Whether {@code index} lies in the band. */
        public boolean contains(int index) {
            return index >= start && index < start + width;
        }
    }

    /**
     * The draw: one band per mask, in the order they are drawn and applied (an immutable list, so
     * the draw needs no defensive copies, where two parallel arrays did).
     *
     * @param bands the masks
     */
    public record Params(List<Band> bands) {
        /** Keeps an immutable copy. */
        public Params {
            bands = List.copyOf(bands);
        }
    }

    private final Axis axis;
    private final int maxWidth;
    private final int count;
    private final float value;

    /**
     * @param axis the axis
     * @param maxWidth largest mask width, &gt;= 0
     * @param count number of masks, &gt;= 0
     * @param value fill value (0 for log-mel features normalised to zero mean)
     */
    public SpecAugmentMask(Axis axis, int maxWidth, int count, float value) {
        this.axis = Checks.notNull("SpecAugmentMask", "axis", axis);
        this.maxWidth = Checks.nonNegative("SpecAugmentMask", "maxWidth", maxWidth);
        this.count = Checks.nonNegative("SpecAugmentMask", "count", count);
        this.value = value;
    }

    /**
     * @param rng generator
     * @param size length of the masked axis
     * @return the draw
     */
    public Params sample(SplittableRandom rng, int size) {
        List<Band> bands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // the width first, then the start given the width: the order of the draws is the stream's
            int w = rng.nextInt(Math.min(maxWidth, size) + 1);
            bands.add(new Band(rng.nextInt(size - w + 1), w));
        }
        return new Params(bands);
    }

    /**
     * @param spec spectrogram [F][T]
     * @param params the draw
     * @return the masked copy
     */
    public float[][] apply(float[][] spec, Params params) {
        float[][] x = spec;
        for (Band b : params.bands()) {
            x = axis == Axis.FREQUENCY ? AudioOps.maskFrequency(x, b.start(), b.width(), value)
                    : AudioOps.maskTime(x, b.start(), b.width(), value);
        }
        return x == spec ? AudioOps.copy(spec) : x;
    }

    @Override
    public float[][] apply(float[][] input, SplittableRandom rng) {
        int size = axis == Axis.FREQUENCY ? input.length : (input.length == 0 ? 0 : input[0].length);
        return apply(input, sample(rng, size));
    }
}
