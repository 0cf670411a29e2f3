package org.selfsup4j.speech.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.BatchSource;
import org.selfsup4j.core.train.Seeds;

/**
 * Batches of random crops for the core trainer: step k draws {@code batch} utterances with replacement
 * and one random {@link Crops#fit crop} of each, from a generator of (seed, k), so a step's batch does
 * not depend on the steps before it (a resumed run sees the same batches).
 */
public final class CropBatchSource implements BatchSource {
    /** Stream of {@link Seeds#mix} reserved for the batches. */
    static final long STREAM = 99;

    private final List<float[]> utterances;
    private final int batch;
    private final int samples;
    private final long seed;

    /**
     * @param utterances the waveforms to crop (not copied)
     * @param batch crops per step, {@code > 0}
     * @param samples samples per crop, {@code > 0}
     * @param seed the run's seed
     */
    public CropBatchSource(List<float[]> utterances, int batch, int samples, long seed) {
        Checks.argument(!utterances.isEmpty(), "CropBatchSource", "utterances must not be empty");
        this.utterances = utterances;
        this.batch = Checks.positive("CropBatchSource", "batch", batch);
        this.samples = Checks.positive("CropBatchSource", "samples", samples);
        this.seed = seed;
    }

    /** @return one view: waveforms {@code [batch, samples]} */
    @Override
    public List<INDArray> views(long step) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, STREAM));
        float[][] b = new float[batch][];
        for (int i = 0; i < batch; i++) {
            b[i] = Crops.fit(utterances.get(rng.nextInt(utterances.size())), samples, rng);
        }
        return List.of(Nd4j.createFromArray(b));
    }

    @Override
    public long stepsPerEpoch() {
        return Math.max(1, utterances.size() / batch);
    }
}
