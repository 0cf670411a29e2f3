package org.selfsup4j.speech.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.speech.model.SpeechBackbone;

/**
 * Mean-pooled outputs of layers 0..L for every utterance, from one forward per batch of similar-length
 * utterances: sorted by length, padded to the batch's longest (padded frames masked out of attention
 * and of the mean), at most {@code maxSamples} samples with longer ones centre-cropped.
 *
 * @param batch utterances per forward, {@code > 0}
 * @param maxSamples longest input, {@code > 0}
 * @param widthQuantum batch widths are rounded up to a multiple of this ({@link #DEFAULT_WIDTH_QUANTUM})
 */
public record LayerEmbeddings(int batch, int maxSamples, int widthQuantum) {
    /**
     * 0.1 s at 8 kHz. Rounding widths up keeps the number of distinct batch shapes (each one reallocates
     * the model's buffers) small; the extra samples are masked padding.
     */
    public static final int DEFAULT_WIDTH_QUANTUM = 800;

    /** Validates. */
    public LayerEmbeddings {
        Checks.positive("LayerEmbeddings", "batch", batch);
        Checks.positive("LayerEmbeddings", "maxSamples", maxSamples);
        Checks.positive("LayerEmbeddings", "widthQuantum", widthQuantum);
    }

    /**
     * @param backbone the model, run in eval mode
     * @param xs the utterances
     * @return one {@code [xs.size(), D]} double matrix per layer 0..L, rows in the order of {@code xs}
     */
    public List<INDArray> embed(SpeechBackbone backbone, List<float[]> xs) {
        Checks.argument(!xs.isEmpty(), "LayerEmbeddings.embed", "xs must not be empty");
        Integer[] order = new Integer[xs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> xs.get(i).length));
        List<float[][]> rows = null;
        for (int s = 0; s < order.length; s += batch) {
            int e = Math.min(order.length, s + batch);
            int longest = Math.min(maxSamples, xs.get(order[e - 1]).length);
            int width = Math.min(maxSamples, (longest + widthQuantum - 1) / widthQuantum * widthQuantum);
            float[][] b = new float[e - s][width];
            int[] lengths = new int[e - s];
            for (int i = s; i < e; i++) {
                float[] x = xs.get(order[i]);
                int len = Math.min(width, x.length);
                System.arraycopy(x, (x.length - len) / 2, b[i - s], 0, len);
                lengths[i - s] = len;
            }
            List<INDArray> pooled = backbone.meanPooledLayers(Nd4j.createFromArray(b), lengths);
            if (rows == null) {
                rows = new ArrayList<>();
                for (int l = 0; l < pooled.size(); l++) {
                    rows.add(new float[xs.size()][]);
                }
            }
            for (int l = 0; l < pooled.size(); l++) {
                float[][] p = pooled.get(l).toFloatMatrix();
                for (int i = s; i < e; i++) {
                    rows.get(l)[order[i]] = p[i - s];
                }
            }
        }
        List<INDArray> outs = new ArrayList<>();
        for (float[][] r : rows) {
            outs.add(Nd4j.createFromArray(r).castTo(DataType.DOUBLE));
        }
        return outs;
    }
}
