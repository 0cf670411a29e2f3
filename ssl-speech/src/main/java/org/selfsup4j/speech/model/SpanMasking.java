package org.selfsup4j.speech.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Seeds;

/**
 * Span masking of wav2vec 2.0 and HuBERT: fairseq's {@code compute_mask_indices} with
 * {@code mask_type="static"}, {@code no_overlap=False}, {@code require_same_masks=True}.
 *
 * <pre>
 *   per utterance of length T:
 *     n      = max(minMasks, floor(p T / M + u)),  u ~ U(0, 1)           (p = mask probability, M = span length)
 *     starts = n distinct draws from [0, T - M)    (from [0, n + 1) if T - M &lt;= n)
 *     masked = union of [s, s + M) over starts, clipped to T
 *   then every utterance keeps only as many masked frames (chosen at random) as the least-masked one
 * </pre>
 *
 * <p>Spans overlap, so the masked fraction is below p: about 49% of frames at p = 0.65, M = 10
 * (wav2vec 2.0, which reports "about 49%") and about 55% at p = 0.8 (HuBERT). Randomness comes only
 * from the given {@link SplittableRandom}, so a seed fixes the mask. Deviation: fairseq draws with
 * numpy's generator, so the same seed gives different masks there.
 */
public final class SpanMasking {
    /** Mask probability of wav2vec 2.0. */
    public static final double WAV2VEC2_MASK_PROB = 0.65;
    /** Mask probability of HuBERT. */
    public static final double HUBERT_MASK_PROB = 0.8;
    /** Span length M of both. */
    public static final int DEFAULT_MASK_LENGTH = 10;
    /** Minimum spans per utterance (fairseq's wav2vec 2.0 passes 2). */
    public static final int DEFAULT_MIN_MASKS = 2;

    private static final String WHERE = "SpanMasking.compute";

    private SpanMasking() {
    }

    /** Masks for {@code batch} utterances of {@code frames} frames each. */
    public static boolean[][] compute(int batch, int frames, double maskProb, int maskLength, int minMasks,
            SplittableRandom rng) {
        int[] lengths = new int[batch];
        Arrays.fill(lengths, frames);
        return compute(lengths, frames, maskProb, maskLength, minMasks, rng);
    }

    /**
     * Masks for utterances of the given valid lengths (frames past a length are padding and never masked).
     *
     * @param lengths valid frames of each utterance, each in [1, frames]
     * @param frames padded length T
     * @param maskProb p in [0, 1]
     * @param maskLength M &gt;= 1
     * @param minMasks minimum spans per utterance, &gt;= 0
     * @param rng the source of every random draw
     * @return {@code [batch][frames]}, true = masked
     */
    public static boolean[][] compute(int[] lengths, int frames, double maskProb, int maskLength, int minMasks,
            SplittableRandom rng) {
        if (!(maskProb >= 0 && maskProb <= 1)) {
            throw new IllegalArgumentException(WHERE + ": maskProb must be in [0, 1], got " + maskProb);
        }
        if (maskLength < 1 || minMasks < 0 || frames < 1) {
            throw new IllegalArgumentException(WHERE + ": need maskLength >= 1, minMasks >= 0, frames >= 1, got "
                    + maskLength + ", " + minMasks + ", " + frames);
        }
        if (rng == null) {
            throw new IllegalArgumentException(WHERE + ": rng is null");
        }
        int batch = lengths.length;
        boolean[][] mask = new boolean[batch][frames];
        int[][] idx = new int[batch][];
        int minCount = Integer.MAX_VALUE;
        for (int b = 0; b < batch; b++) {
            int sz = lengths[b];
            if (sz < 1 || sz > frames) {
                throw new IllegalArgumentException(WHERE + ": lengths[" + b + "] must be in [1, " + frames + "], got " + sz);
            }
            int num = (int) (maskProb * sz / maskLength + rng.nextDouble());
            num = Math.max(minMasks, num);
            int minLen = maskLength;
            if (sz - minLen <= num) {
                minLen = sz - num - 1;
            }
            int range = sz - minLen;
            int[] starts = choose(range, Math.min(num, range), rng);
            boolean[] row = new boolean[sz];
            for (int s : starts) {
                for (int o = 0; o < maskLength; o++) {
                    int t = s + o;
                    if (t >= 0 && t < sz) {
                        row[t] = true;
                    }
                }
            }
            int count = 0;
            for (boolean m : row) {
                count += m ? 1 : 0;
            }
            int[] list = new int[count];
            int c = 0;
            for (int t = 0; t < sz; t++) {
                if (row[t]) {
                    list[c++] = t;
                }
            }
            idx[b] = list;
            minCount = Math.min(minCount, count);
        }
        for (int b = 0; b < batch; b++) {
            int[] list = idx[b];
            if (list.length > minCount) {
                int[] pick = choose(list.length, minCount, rng);
                int[] kept = new int[minCount];
                for (int i = 0; i < minCount; i++) {
                    kept[i] = list[pick[i]];
                }
                list = kept;
            }
            for (int t : list) {
                mask[b][t] = true;
            }
        }
        return mask;
    }

    /** {@code k} distinct values of [0, n) (partial Fisher-Yates). */
    private static int[] choose(int n, int k, SplittableRandom rng) {
        return Seeds.sampleWithoutReplacement(n, k, rng);
    }

    /** The masks as a 0/1 array {@code [batch, frames]} of the given type. */
    public static INDArray toArray(boolean[][] mask, DataType dtype) {
        int b = mask.length;
        int t = b == 0 ? 0 : mask[0].length;
        double[] d = new double[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                d[i * t + j] = mask[i][j] ? 1 : 0;
            }
        }
        return Nd4j.create(d, new long[] {b, t}, 'c').castTo(dtype);
    }

    /** Fraction of true entries. */
    public static double maskedFraction(boolean[][] mask) {
        long n = 0;
        long m = 0;
        for (boolean[] row : mask) {
            for (boolean v : row) {
                n++;
                m += v ? 1 : 0;
            }
        }
        return n == 0 ? 0 : (double) m / n;
    }
}
