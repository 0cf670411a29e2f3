package org.selfsup4j.vision.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.eval.KnnClassifier;
import org.selfsup4j.core.eval.LinearProbe;
import org.selfsup4j.core.eval.LinearProbeResult;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.vision.data.LabeledImages;

/**
 * kNN and linear-probe top-1 of a frozen backbone: features of the unaugmented, normalised images
 * ({@link Features}, eval-mode batch norm), weighted kNN k=200 T=0.07 and the L-BFGS probe of core.
 */
public final class FrozenProbes {
    private FrozenProbes() {
    }

    /**
     * @param backbone the network, {@code [N, C, H, W] -> [N, D]}
     * @param train labelled training images (the kNN bank and the probe's fit)
     * @param eval labelled evaluation images
     * @param normalize applied to every image first
     * @return kNN and linear-probe top-1 on {@code eval}
     * @throws IllegalArgumentException when either set is unlabelled ({@link LabeledImages#labelled()}
     *     false, e.g. a flat folder) or, from the probes, holds fewer than 2 classes
     */
    public static FrozenScores evaluate(Module backbone, LabeledImages train, LabeledImages eval, Normalize normalize) {
        requireLabels("FrozenProbes.evaluate", train, eval);
        INDArray ft = Features.extract(backbone, train.images(), normalize, Features.DEFAULT_BATCH);
        INDArray fe = Features.extract(backbone, eval.images(), normalize, Features.DEFAULT_BATCH);
        double knn = new KnnClassifier().accuracy(ft, train.labels(), fe, eval.labels());
        LinearProbeResult probe = LinearProbe.withDefaults().evaluate(ft, train.labels(), fe, eval.labels());
        return new FrozenScores(knn, probe.testAccuracy(), probe.lambda());
    }

    /** @return the kNN top-1 alone (the per-epoch curve), arguments as {@link #evaluate} */
    public static double knn(Module backbone, LabeledImages train, LabeledImages eval, Normalize normalize) {
        requireLabels("FrozenProbes.knn", train, eval);
        INDArray ft = Features.extract(backbone, train.images(), normalize, Features.DEFAULT_BATCH);
        INDArray fe = Features.extract(backbone, eval.images(), normalize, Features.DEFAULT_BATCH);
        return new KnnClassifier().accuracy(ft, train.labels(), fe, eval.labels());
    }

    /**
     * Refuses unlabelled sets with a sentence a user can act on, before any feature is extracted
     * (the probes would otherwise fail on label -1 with a message about class indices).
     */
    private static void requireLabels(String where, LabeledImages train, LabeledImages eval) {
        for (LabeledImages d : new LabeledImages[] {train, eval}) {
            if (!d.labelled()) {
                throw new IllegalArgumentException(where + ": evaluation needs labels, but '" + d.name()
                        + "' has none (a flat folder of images; put them in one subfolder per class to evaluate)."
                        + " Pretraining does not need labels: skip the evaluation for this data.");
            }
        }
    }
}
