package org.selfsup4j.speech.model;

import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.speech.model.cluster.KMeansModel;

/**
 * Labels frames with the nearest k-means centre of some frame features, aligned to the model's frames.
 *
 * <p>Alignment: feature frame {@code j = min(T' - 1, floor((t + 0.5) T' / T))} labels model frame t,
 * where T' is the number of feature frames (fairseq's HuBERT instead expects labels at a fixed label
 * rate; with MFCCs computed at the model's hop, T' is T or T + 1 and the mapping is the identity
 * for all but the last frames).
 */
public final class KMeansFrameLabeler implements FrameLabeler {
    private final Function<INDArray, INDArray> frameFeatures;
    private final KMeansModel clusters;

    /**
     * @param frameFeatures waveforms {@code [N, samples]} to frame features {@code [N, T', F]}
     * @param clusters centres over F-dimensional frames
     */
    public KMeansFrameLabeler(Function<INDArray, INDArray> frameFeatures, KMeansModel clusters) {
        this.frameFeatures = frameFeatures;
        this.clusters = clusters;
    }

    /** Labels from the k-means of layer {@code layer} of a frozen (e.g. iteration-1) model, in eval mode. */
    public static KMeansFrameLabeler ofLayer(SpeechBackbone teacher, int layer, KMeansModel clusters) {
        return new KMeansFrameLabeler(w -> teacher.layerOutput(w, layer), clusters);
    }

    @Override
    public INDArray labels(INDArray waveforms, int frames) {
        INDArray f = frameFeatures.apply(waveforms);
        if (f.rank() != 3 || f.size(2) != clusters.dimension()) {
            throw new IllegalArgumentException("KMeansFrameLabeler.labels: frame features must be [N, T', "
                    + clusters.dimension() + "], got " + java.util.Arrays.toString(f.shape()));
        }
        int n = (int) f.size(0);
        int tf = (int) f.size(1);
        int[] ids = clusters.assign(f.reshape((long) n * tf, f.size(2)));
        int[] out = new int[n * frames];
        for (int b = 0; b < n; b++) {
            for (int t = 0; t < frames; t++) {
                int j = Math.min(tf - 1, (int) Math.floor((t + 0.5) * tf / frames));
                out[b * frames + t] = ids[b * tf + j];
            }
        }
        return Nd4j.createFromArray(out).reshape(n, frames).castTo(DataType.INT32);
    }
}
