package org.selfsup4j.augment.audio;

import java.util.SplittableRandom;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.core.train.Seeds;

/**
 * Adds white Gaussian noise at an SNR drawn uniformly in [minSnrDb, maxSnrDb], with probability p.
 * The noise is scaled on the realised noise power, so the realised SNR equals the drawn one.
 */
public final class AddNoise implements Transform<float[]> {
    /**
     * The draw.
     *
     * @param apply whether to add noise
     * @param snrDb the SNR in dB
     * @param noiseSeed seed of the noise samples
     */
    public record Params(boolean apply, double snrDb, long noiseSeed) {
    }

    private final ChanceOfRange snr;

    /**
     * @param minSnrDb lowest SNR in dB
     * @param maxSnrDb highest SNR in dB, &gt;= minSnrDb
     * @param p probability, in [0, 1]
     */
    public AddNoise(double minSnrDb, double maxSnrDb, double p) {
        this.snr = new ChanceOfRange("AddNoise", "snr dB", minSnrDb, maxSnrDb, p);
    }

    /**
     * @param rng generator
     * @return the draw
     */
    public Params sample(SplittableRandom rng) {
        ChanceOfRange.Draw d = snr.draw(rng);
        return new Params(d.applies(), d.amount(), rng.nextLong());
    }

    /**
     * @param x samples
     * @param params the draw
     * @return the noisy samples (or x when not applied)
     */
    public float[] apply(float[] x, Params params) {
        if (!params.apply()) {
            return x;
        }
        SplittableRandom r = new SplittableRandom(params.noiseSeed());
        float[] noise = new float[x.length];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) Seeds.gaussian(r);
        }
        return AudioOps.addNoise(x, noise, params.snrDb());
    }

    @Override
    public float[] apply(float[] input, SplittableRandom rng) {
        return apply(input, sample(rng));
    }
}
