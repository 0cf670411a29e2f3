package org.selfsup4j.speech.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.speech.model.FrameLabeler;
import org.selfsup4j.speech.model.KMeansFrameLabeler;
import org.selfsup4j.speech.model.cluster.KMeansModel;

/**
 * HuBERT's targets from the second iteration on (Hsu et al. 2021, section III-D): k-means over the
 * frames of one layer of a frozen earlier-iteration model, computed on the same random training crops
 * as {@link MfccTargets} (same streams of the seed), and the labeler that gives each model frame its
 * nearest centre. The paper clusters layer 6 of the 12-layer BASE iteration-1 model into 500 units.
 */
public final class LayerTargets {
    /** Crops per forward of the frozen model while collecting the frames. */
    public static final int BATCH = 32;

    private LayerTargets() {
    }

    /**
     * @param layerFrames waveforms {@code [N, samples]} to the frozen model's layer {@code [N, T, D]}
     *     (e.g. {@code SpeechEncoder.layerFrames} of an iteration-1 encoder, or a backbone's layerOutput)
     * @param audio training utterances at the frozen model's sample rate
     * @param cropSamples samples per crop
     * @param clusters k
     * @param seed the run's seed
     * @return the centres, over D-dimensional frames
     */
    public static KMeansModel fit(Function<INDArray, INDArray> layerFrames, List<float[]> audio, int cropSamples,
            int clusters, long seed) {
        Checks.notNull("LayerTargets.fit", "layerFrames", layerFrames);
        List<float[]> crops = MfccTargets.crops(audio, cropSamples, seed);
        List<float[]> frames = new ArrayList<>();
        for (int from = 0; from < crops.size(); from += BATCH) {
            List<float[]> part = crops.subList(from, Math.min(crops.size(), from + BATCH));
            INDArray f = layerFrames.apply(Nd4j.createFromArray(part.toArray(new float[0][])));
            Checks.argument(f.rank() == 3 && f.size(0) == part.size(), "LayerTargets.fit",
                    "layer frames must be [" + part.size() + ", T, D], got " + java.util.Arrays.toString(f.shape()));
            frames.addAll(List.of(f.reshape(f.size(0) * f.size(1), f.size(2)).toFloatMatrix()));
        }
        return MfccTargets.cluster(frames, clusters, seed);
    }

    /**
     * @param layerFrames the frozen model's layer, as given to {@link #fit}
     * @param clusters the centres {@link #fit} returned
     * @return frame targets of a batch of waveforms
     */
    public static FrameLabeler labeler(Function<INDArray, INDArray> layerFrames, KMeansModel clusters) {
        return new KMeansFrameLabeler(layerFrames, clusters);
    }
}
