package org.selfsup4j.losses;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * Draws the distractor time steps of {@link Wav2Vec2ContrastiveLoss}: for every masked step of an
 * utterance, K steps uniformly and with replacement among the <em>other</em> masked steps of the same
 * utterance, as fairseq's {@code Wav2Vec2Model.sample_negatives} ({@code randint(0, M - 1)}, shifted
 * past the step itself).
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument / result</th><th>shape</th><th>type</th></tr>
 *   <tr><td>mask (1 = masked)</td><td>[B, T]</td><td>BOOL or 0/1 numeric</td></tr>
 *   <tr><td>result: time indices in [0, T); -1 in rows of unmasked steps</td><td>[B, T, K]</td><td>INT</td></tr>
 * </table>
 *
 * <p>Reproducible: the same mask, K and seed give the same indices. An utterance with exactly one masked
 * step has no other step to draw from and is rejected (fairseq asserts the same).
 */
public final class DistractorSampler {
    private static final String WHERE = "DistractorSampler.sample";

    private DistractorSampler() {
    }

    /** Draws {@code numDistractors} distractors per masked step into a new INT array [B, T, K]. */
    public static INDArray sample(INDArray mask, int numDistractors, SplittableRandom rng) {
        Checks.rank(WHERE, "mask", mask, 2, "[B, T]");
        Checks.nonNegative(WHERE, "numDistractors", numDistractors);
        return sample(mask, rng, Nd4j.create(DataType.INT32, mask.size(0), mask.size(1), numDistractors));
    }

    /**
     * As {@link #sample(INDArray, int, SplittableRandom)}, writing into {@code out} (INT, [B, T, K], dense
     * c-order), so a training loop can reuse one buffer. Returns {@code out}.
     */
    public static INDArray sample(INDArray mask, SplittableRandom rng, INDArray out) {
        Checks.rank(WHERE, "mask", mask, 2, "[B, T]");
        Checks.notNull(WHERE, "rng", rng);
        Checks.rank(WHERE, "out", out, 3, "[B, T, K]");
        final int b = (int) mask.size(0);
        final int t = (int) mask.size(1);
        if (out.size(0) != b || out.size(1) != t || out.dataType() != DataType.INT32 || !SpeechKernels.isDense(out)) {
            throw new IllegalArgumentException(WHERE + ": out must be a dense INT array of shape [" + b + ", " + t
                    + ", K], got " + out.dataType() + " " + Checks.shape(out));
        }
        final int k = (int) out.size(2);
        boolean[] masked = SpeechKernels.readMask(WHERE, mask, b, t);
        int[] result = new int[b * t * k];
        java.util.Arrays.fill(result, -1);
        int[] steps = new int[t];
        for (int bi = 0; bi < b; bi++) {
            int m = 0;
            for (int ti = 0; ti < t; ti++) {
                if (masked[bi * t + ti]) {
                    steps[m++] = ti;
                }
            }
            if (m == 0 || k == 0) {
                continue;
            }
            if (m == 1) {
                throw new IllegalArgumentException(WHERE + ": utterance " + bi
                        + " has 1 masked step, need at least 2 to draw distractors from other masked steps");
            }
            for (int r = 0; r < m; r++) {
                int base = (bi * t + steps[r]) * k;
                for (int ki = 0; ki < k; ki++) {
                    int u = rng.nextInt(m - 1);
                    if (u >= r) {
                        u++;
                    }
                    result[base + ki] = steps[u];
                }
            }
        }
        out.data().setData(result);
        return out;
    }
}
