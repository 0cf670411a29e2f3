package org.selfsup4j.speech.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.Seeds;

/**
 * Batches of random crops for the core trainer: step k draws {@code batch} utterances with replacement
 * and one random {@link Crops#fit crop} of each, from a generator of (seed, k), so a step's batch does
 * not depend on the steps before it (a resumed run sees the same batches). An optional audio view
 * (e.g. gain, noise, time masking from {@code org.selfsup4j.augment.audio}) is applied to each crop
 * with a generator of its own stream, so the crops are the same with and without it.
 */
public final class CropBatchSource implements BatchSource {
    /** Stream of {@link Seeds#mix} reserved for the batches. */
    static final long STREAM = 99;
    /** Stream of {@link Seeds#mix} reserved for the audio views of the crops. */
    static final long STREAM_AUGMENT = 98;

    private final List<float[]> utterances;
    private final int batch;
    private final int samples;
    private final long seed;
    private final Transform<float[]> augment;

    /**
     * @param utterances the waveforms to crop (not copied)
     * @param batch crops per step, {@code > 0}
     * @param samples samples per crop, {@code > 0}
     * @param seed the run's seed
     */
    public CropBatchSource(List<float[]> utterances, int batch, int samples, long seed) {
        this(utterances, batch, samples, seed, null);
    }

    /**
     * @param utterances the waveforms to crop (not copied)
     * @param batch crops per step, {@code > 0}
     * @param samples samples per crop, {@code > 0}
     * @param seed the run's seed
     * @param augment the view applied to every crop (its output must keep the length), or null for none
     */
    public CropBatchSource(List<float[]> utterances, int batch, int samples, long seed, Transform<float[]> augment) {
        Checks.argument(!utterances.isEmpty(), "CropBatchSource", "utterances must not be empty");
        this.utterances = utterances;
        this.batch = Checks.positive("CropBatchSource", "batch", batch);
        this.samples = Checks.positive("CropBatchSource", "samples", samples);
        this.seed = seed;
        this.augment = augment;
    }

    /** @return one view: waveforms {@code [batch, samples]} */
    @Override
    public List<INDArray> views(long step) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, STREAM));
        float[][] b = new float[batch][];
        for (int i = 0; i < batch; i++) {
            b[i] = Crops.fit(utterances.get(rng.nextInt(utterances.size())), samples, rng);
        }
        if (augment != null) {
            SplittableRandom views = new SplittableRandom(Seeds.mix(seed, step, STREAM_AUGMENT));
            for (int i = 0; i < batch; i++) {
                float[] v = augment.apply(b[i], views.split());
                Checks.argument(v.length == samples, "CropBatchSource", "the audio view must keep the crop's "
                        + samples + " samples, got " + v.length);
                b[i] = v;
            }
        }
        return List.of(Nd4j.createFromArray(b));
    }

    @Override
    public long stepsPerEpoch() {
        return Math.max(1, utterances.size() / batch);
    }
}
