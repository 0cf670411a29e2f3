package org.selfsup4j.speech.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.speech.model.SpeechBackbone;

/**
 * Linear probe of the best layer: embeds every layer once ({@link LayerEmbeddings}), picks the layer
 * with the best accuracy on a held-out part of the training utterances (fitted on the rest of them;
 * the test utterances play no part in the choice), then reports that layer's probe fitted on all
 * training utterances and scored on the test utterances.
 *
 * @param embeddings how utterances are embedded
 * @param probe the final probe, e.g. {@link LinearProbe#withDefaults()}
 * @param selector the probe of the layer choice (e.g. fewer lambdas: {@link #DEFAULT_SELECTOR})
 */
public record LayerProbe(LayerEmbeddings embeddings, LinearProbe probe, LinearProbe selector) {
    /** The layer choice's probe: four L2 strengths instead of the default grid, as the choice runs L + 1 times. */
    public static final LinearProbe DEFAULT_SELECTOR = LinearProbe.builder().lambdas(1e-4, 1e-3, 1e-2, 1e-1).build();

    /** Validates. */
    public LayerProbe {
        Checks.notNull("LayerProbe", "embeddings", embeddings);
        Checks.notNull("LayerProbe", "probe", probe);
        Checks.notNull("LayerProbe", "selector", selector);
    }

    /**
     * @param backbone the model
     * @param train training utterances
     * @param trainY their labels
     * @param heldOut which training utterances score the layer choice (the others fit it)
     * @param test test utterances
     * @param testY their labels
     * @return the chosen layer, the held-out accuracies and the test accuracy
     */
    public LayerProbeResult evaluate(SpeechBackbone backbone, List<float[]> train, int[] trainY, boolean[] heldOut,
            List<float[]> test, int[] testY) {
        Checks.argument(trainY.length == train.size() && heldOut.length == train.size() && testY.length == test.size(),
                "LayerProbe.evaluate", "need one label and held-out flag per training utterance and one label per test"
                        + " utterance, got " + trainY.length + ", " + heldOut.length + " for " + train.size() + " and "
                        + testY.length + " for " + test.size());
        long t0 = System.nanoTime();
        List<INDArray> trainE = embeddings.embed(backbone, train);
        List<INDArray> testE = embeddings.embed(backbone, test);
        System.out.printf(Locale.ROOT, "embedded %d + %d utterances in %.1f s%n", train.size(), test.size(),
                (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        int[] fitIdx = indices(heldOut, false);
        int[] valIdx = indices(heldOut, true);
        List<Double> byLayer = new ArrayList<>();
        int best = 0;
        for (int l = 0; l < trainE.size(); l++) {
            LinearProbeResult r = selector.evaluate(trainE.get(l).getRows(fitIdx), pick(trainY, fitIdx),
                    trainE.get(l).getRows(valIdx), pick(trainY, valIdx));
            byLayer.add(r.testAccuracy());
            if (r.testAccuracy() > byLayer.get(best)) {
                best = l;
            }
        }
        LinearProbeResult fin = probe.evaluate(trainE.get(best), trainY, testE.get(best), testY);
        System.out.printf(Locale.ROOT, "probes: held-out by layer %s, layer %d test %.4f, %.1f s%n", byLayer, best,
                fin.testAccuracy(), (System.nanoTime() - t0) / 1e9);
        return new LayerProbeResult(best, byLayer, fin.testAccuracy());
    }

    private static int[] indices(boolean[] flags, boolean value) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i] == value).toArray();
    }

    private static int[] pick(int[] y, int[] idx) {
        return java.util.Arrays.stream(idx).map(i -> y[i]).toArray();
    }
}
