package org.selfsup4j.augment.audio;

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
     * The draw.
     *
     * @param starts first index of each mask
     * @param widths width of each mask
     */
    public record Params(int[] starts, int[] widths) {
        /** Copies the arrays. */
        public Params {
            starts = starts.clone();
            widths = widths.clone();
        }

        @Override
        public int[] starts() {
            return starts.clone();
        }

        @Override
        public int[] widths() {
            return widths.clone();
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
        int[] starts = new int[count];
        int[] widths = new int[count];
        for (int i = 0; i < count; i++) {
            int w = rng.nextInt(Math.min(maxWidth, size) + 1);
            widths[i] = w;
            starts[i] = rng.nextInt(size - w + 1);
        }
        return new Params(starts, widths);
    }

    /**
     * @param spec spectrogram [F][T]
     * @param params the draw
     * @return the masked copy
     */
    public float[][] apply(float[][] spec, Params params) {
        float[][] x = spec;
        int[] s = params.starts;
        int[] w = params.widths;
        for (int i = 0; i < s.length; i++) {
            x = axis == Axis.FREQUENCY ? AudioOps.maskFrequency(x, s[i], w[i], value) : AudioOps.maskTime(x, s[i], w[i], value);
        }
        return x == spec ? AudioOps.copy(spec) : x;
    }

    @Override
    public float[][] apply(float[][] input, SplittableRandom rng) {
        int size = axis == Axis.FREQUENCY ? input.length : (input.length == 0 ? 0 : input[0].length);
        return apply(input, sample(rng, size));
    }
}
