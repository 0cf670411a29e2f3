package org.selfsup4j.vision.nn;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.NdArrays;
import org.selfsup4j.core.train.Seeds;

/**
 * MAE's random masking: for each image, a uniformly random subset of its L patches is kept and the
 * rest removed, the same number per image, {@code K = floor(L (1 - ratio))} kept (MAE's
 * {@code len_keep = int(L * (1 - mask_ratio))}: with L = 64 and ratio 0.75, 16 kept, 48 removed).
 * Unlike {@link RandomPatchMask} (the DAE's zeroing of pixels), nothing is written into the image: the
 * encoder is given only the kept patches, and the decoder puts a mask token where the others were.
 *
 * <table>
 *   <caption>What a draw gives, for N images</caption>
 *   <tr><th>array</th><th>shape</th><th>content</th></tr>
 *   <tr><td>{@link #keptIndices()}</td><td>{@code int[N][K]}</td><td>the kept patches of each image, ascending</td></tr>
 *   <tr><td>{@link #selection()}</td><td>{@code [N, K, L]}</td><td>row k of image n one-hot at its k-th kept patch</td></tr>
 *   <tr><td>{@link #mask()}</td><td>{@code [N, L]}</td><td>1 at removed patches, 0 at kept ones (MAE's {@code mask})</td></tr>
 * </table>
 *
 * <p>Deviation: MAE orders the kept tokens by the random shuffle; here they are ascending. The encoder
 * adds each patch's positional embedding before selecting and attention is permutation-equivariant,
 * so the order changes no value. The k-th {@link #draw} (counting from 0) uses a generator seeded by
 * {@code (seed, k)}, and k is a buffer ({@code "calls"}), so a run resumed from a checkpoint draws the
 * same masks. Arrays are reused from draw to draw; not thread-safe.
 */
public final class RandomPatchSelection {
    private static final String WHERE = "RandomPatchSelection";
    private final int patches;
    private final int kept;
    private final long seed;
    private final INDArray calls = Nd4j.zeros(DataType.DOUBLE, 1);
    private int[][] keptIndices = new int[0][];
    private INDArray selection;
    private INDArray mask;

    /**
     * @param patches L, the patches per image, &gt;= 1
     * @param ratio the fraction removed, in [0, 1), leaving at least one patch
     * @param seed seed of the draws
     */
    public RandomPatchSelection(int patches, double ratio, long seed) {
        this.patches = Checks.positive(WHERE, "patches", patches);
        Checks.unitInterval(WHERE, "ratio", ratio);
        this.kept = (int) (patches * (1 - ratio));
        if (kept < 1 || kept >= patches) {
            throw new IllegalArgumentException(WHERE + ": ratio " + ratio + " of " + patches + " patches must keep at"
                    + " least one and remove at least one, got " + kept + " kept");
        }
        this.seed = seed;
    }

    /** @return K, the patches kept per image */
    public int kept() {
        return kept;
    }

    /** @return L, the patches per image */
    public int patches() {
        return patches;
    }

    /**
     * Draws the next masks and advances the draw counter.
     *
     * @param images N, &gt;= 1
     * @param dtype the data type of {@link #selection()} and {@link #mask()}
     */
    public void draw(int images, DataType dtype) {
        Checks.positive(WHERE + ".draw", "images", images);
        long k = (long) calls.getDouble(0);
        calls.putScalar(0, k + 1);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, k));
        if (keptIndices.length != images) {
            keptIndices = new int[images][];
        }
        // the arrays are reused and only the N K ones (zeros of the mask) written: no [N, K, L] host
        // copy per step (1 MB at MAE's 128 x 16 x 64)
        selection = NdArrays.reuse(selection, dtype, images, kept, patches);
        selection.assign(0);
        mask = NdArrays.reuse(mask, dtype, images, patches);
        mask.assign(1);
        for (int n = 0; n < images; n++) {
            int[] keep = Seeds.sampleWithoutReplacement(patches, kept, rng);
            Arrays.sort(keep);
            keptIndices[n] = keep;
            for (int j = 0; j < kept; j++) {
                selection.putScalar(n, j, keep[j], 1.0);
                mask.putScalar(n, keep[j], 0.0);
            }
        }
    }

    /** @return the kept patches of each image of the last draw, ascending (copies) */
    public int[][] keptIndices() {
        int[][] out = new int[keptIndices.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = keptIndices[i].clone();
        }
        return out;
    }

    /** @return the one-hot selection of the last draw, {@code [N, K, L]} (a reused array) */
    public INDArray selection() {
        Checks.state(selection != null, WHERE + ".selection", "nothing drawn yet");
        return selection;
    }

    /** @return the mask of the last draw, {@code [N, L]}, 1 = removed (a reused array) */
    public INDArray mask() {
        Checks.state(mask != null, WHERE + ".mask", "nothing drawn yet");
        return mask;
    }

    /** @return the draw counter, {@code "calls"}, for checkpoints */
    public Map<String, INDArray> buffers() {
        return Map.of("calls", calls);
    }

    @Override
    public String toString() {
        return WHERE + "(" + kept + " of " + patches + " kept)";
    }
}
