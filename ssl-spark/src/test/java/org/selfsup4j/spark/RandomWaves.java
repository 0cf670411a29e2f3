package org.selfsup4j.spark;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.train.Seeds;

/**
 * One view of a global batch of noisy sine waves ({@code [globalBatch, samples]}, float64), a pure
 * function of (seed, step); {@link #shard} slices rank r's contiguous rows.
 */
record RandomWaves(long seed, int globalBatch, int samples) implements ReferenceData {

    @Override
    public List<INDArray> global(long step) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step));
        double[] w = new double[globalBatch * samples];
        for (int i = 0; i < globalBatch; i++) {
            double f = 0.03 + 0.1 * rng.nextDouble();
            for (int t = 0; t < samples; t++) {
                w[i * samples + t] = Math.sin(2 * Math.PI * f * t) + 0.1 * Seeds.gaussian(rng);
            }
        }
        return List.of(Nd4j.create(w, new long[] {globalBatch, samples}, 'c'));
    }
}
