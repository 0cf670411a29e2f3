package org.selfsup4j.speech.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.speech.data.Crops;
import org.selfsup4j.speech.features.Mfcc;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.KMeansFrameLabeler;
import org.selfsup4j.speech.model.cluster.KMeansModel;
import org.selfsup4j.speech.model.cluster.MiniBatchKMeans;

/**
 * HuBERT's first-iteration targets: k-means over MFCC frames (39-dim, with deltas, fairseq's
 * {@code dump_mfcc_feature.py}) of random training crops, and the labeler that assigns each model frame
 * its nearest centre.
 */
public final class MfccTargets {
    /** Random crops whose frames are clustered (at most one per utterance on average). */
    public static final int CROPS = 600;
    /** Mini-batch k-means iterations (more than {@link MiniBatchKMeans#DEFAULT_ITERATIONS}: the data are small). */
    public static final int ITERATIONS = 300;
    /** {@link Seeds#mix} stream of the crops. */
    static final long STREAM_CROPS = 7;
    /** {@link Seeds#mix} stream of k-means. */
    static final long STREAM_KMEANS = 8;

    private MfccTargets() {
    }

    /**
     * @param mfcc the features
     * @param audio training utterances (at the MFCC's sample rate)
     * @param cropSamples samples per crop
     * @param clusters k
     * @param seed the run's seed
     * @return the centres
     */
    public static KMeansModel fit(Mfcc mfcc, List<float[]> audio, int cropSamples, int clusters, long seed) {
        List<float[]> frames = new ArrayList<>();
        for (float[] crop : crops(audio, cropSamples, seed)) {
            frames.addAll(List.of(mfcc.computeWithDeltas(crop)));
        }
        return cluster(frames, clusters, seed);
    }

    /**
     * The crops whose frames are clustered: {@link #CROPS} (at most one per utterance on average) random
     * crops of random utterances, from a stream of the seed of their own. Iteration 2
     * ({@link LayerTargets}) clusters the same crops as iteration 1.
     */
    static List<float[]> crops(List<float[]> audio, int cropSamples, long seed) {
        Checks.argument(!audio.isEmpty(), "MfccTargets.fit", "audio must not be empty");
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, STREAM_CROPS));
        List<float[]> crops = new ArrayList<>();
        for (int i = 0; i < Math.min(CROPS, audio.size()); i++) {
            crops.add(Crops.fit(audio.get(rng.nextInt(audio.size())), cropSamples, rng));
        }
        return crops;
    }

    /** Mini-batch k-means of the frames, {@link #ITERATIONS} iterations, seeded from its own stream. */
    static KMeansModel cluster(List<float[]> frames, int clusters, long seed) {
        return new MiniBatchKMeans(clusters, MiniBatchKMeans.DEFAULT_BATCH_SIZE, ITERATIONS,
                MiniBatchKMeans.DEFAULT_INIT_SAMPLE, Seeds.mix(seed, STREAM_KMEANS))
                .fit(Nd4j.createFromArray(frames.toArray(new float[0][])));
    }

    /**
     * @param mfcc the features the centres were fitted on (used by the labeler: not thread-safe)
     * @param clusters the centres
     * @return frame targets of a batch of waveforms
     */
    public static FrameLabeler labeler(Mfcc mfcc, KMeansModel clusters) {
        return new KMeansFrameLabeler(w -> frames(mfcc, w), clusters);
    }

    private static INDArray frames(Mfcc mfcc, INDArray waveforms) {
        int n = (int) waveforms.size(0);
        float[][][] f = new float[n][][];
        for (int i = 0; i < n; i++) {
            f[i] = mfcc.computeWithDeltas(waveforms.getRow(i).toFloatVector());
        }
        return Nd4j.createFromArray(f);
    }
}
