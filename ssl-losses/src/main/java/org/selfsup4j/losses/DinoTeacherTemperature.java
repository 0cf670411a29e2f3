package org.selfsup4j.losses;

import org.selfsup4j.core.Checks;

/**
 * DINO's teacher temperature schedule: a linear warm-up from {@code start} to {@code end} over the
 * first {@code warmupEpochs} epochs, then {@code end}.
 *
 * <pre>
 *   tau_t(e) = start + (end - start) e / (W - 1)   for e &lt; W      (numpy's linspace(start, end, W)[e])
 *   tau_t(e) = end                                 for e &ge; W
 * </pre>
 * With {@code W = 1} the single warm-up epoch is {@code start} (as {@code linspace} with one point);
 * with {@code W = 0} every epoch is {@code end}.
 *
 * <p>Paper: Caron et al., "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021;
 * reference: facebookresearch/dino {@code DINOLoss.teacher_temp_schedule}. The reference's flags
 * default to 0.04 without warm-up; its ViT recipes (and the paper's section on avoiding collapse)
 * warm up from 0.04 to 0.07 over 30 epochs, which {@link #dino()} uses. Immutable.
 */
public final class DinoTeacherTemperature {
    /** {@code warmup_teacher_temp}. */
    public static final double DEFAULT_WARMUP_START = 0.04;
    /** {@code teacher_temp} of the ViT recipes. */
    public static final double DEFAULT_END = 0.07;
    /** {@code warmup_teacher_temp_epochs} of the ViT recipes. */
    public static final int DEFAULT_WARMUP_EPOCHS = 30;

    private final double start;
    private final double end;
    private final int warmupEpochs;

    /**
     * @param start tau_t at epoch 0, &gt; 0
     * @param end tau_t from epoch {@code warmupEpochs} on, &gt; 0
     * @param warmupEpochs W &ge; 0
     */
    public DinoTeacherTemperature(double start, double end, int warmupEpochs) {
        this.start = Checks.positive("DinoTeacherTemperature", "start", start);
        this.end = Checks.positive("DinoTeacherTemperature", "end", end);
        this.warmupEpochs = Checks.nonNegative("DinoTeacherTemperature", "warmupEpochs", warmupEpochs);
    }

    /** 0.04 to 0.07 over 30 epochs. */
    public static DinoTeacherTemperature dino() {
        return new DinoTeacherTemperature(DEFAULT_WARMUP_START, DEFAULT_END, DEFAULT_WARMUP_EPOCHS);
    }

    /**
     * @param epoch e &ge; 0
     * @return tau_t at that epoch
     */
    public double at(int epoch) {
        Checks.nonNegative("DinoTeacherTemperature.at", "epoch", epoch);
        if (epoch >= warmupEpochs) {
            return end;
        }
        if (warmupEpochs == 1) {
            return start;
        }
        return start + (end - start) * epoch / (warmupEpochs - 1);
    }

    @Override
    public String toString() {
        return "DinoTeacherTemperature[" + start + " -> " + end + " over " + warmupEpochs + " epochs]";
    }
}
