package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * A fitted linear probe: the scaling statistics of its training set (per-feature offset and divisor:
 * mean and standard deviation for {@link FeatureScaling#STANDARDIZE}, zero and one shared scalar for
 * {@link FeatureScaling#MAX_ABS}, zero and one for {@link FeatureScaling#NONE}) and the weights of
 * the multinomial logistic regression on the scaled features. Immutable: the constructor keeps
 * private copies of the arrays and the array accessors return copies.
 *
 * @param mean the per-feature offset, [D] float64
 * @param std the per-feature divisor, [D] float64
 * @param theta the flat parameters, [(D + 1) C] float64 (weights then bias); null only in the
 *        scaling-only shell {@code LinearProbe.fit} standardizes with
 * @param numClasses number of classes C
 * @param lambda the L2 strength it was fit with
 * @param iterations L-BFGS iterations taken
 * @param converged whether the fit met a tolerance before the iteration limit
 */
public record LinearProbeModel(INDArray mean, INDArray std, INDArray theta, int numClasses, double lambda,
        int iterations, boolean converged) {

    /** Keeps copies of the arrays. */
    public LinearProbeModel {
        mean = Checks.notNull("LinearProbeModel", "mean", mean).dup();
        std = Checks.notNull("LinearProbeModel", "std", std).dup();
        theta = theta == null ? null : theta.dup();
    }

    /** The per-feature offset, a copy of shape [D]. */
    @Override
    public INDArray mean() {
        return mean.dup();
    }

    /** The per-feature divisor, a copy of shape [D]. */
    @Override
    public INDArray std() {
        return std.dup();
    }

    /** The flat parameters, a copy of shape [(D + 1) C]. */
    @Override
    public INDArray theta() {
        return theta.dup();
    }

    /** Weights on the scaled features, a copy of shape [D, C]. */
    public INDArray weights() {
        long d = mean.length();
        return theta.reshape(d + 1, numClasses).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    /** Bias, a copy of shape [C]. */
    public INDArray bias() {
        long d = mean.length();
        return theta.reshape(d + 1, numClasses).getRow(d).dup();
    }

    /** Predicted class of each row of {@code x} ([M, D]). */
    public int[] predict(INDArray x) {
        Checks.numericMatrix("LinearProbeModel.predict", "x", x);
        Checks.argument(x.columns() == mean.length(), "LinearProbeModel.predict",
                "x must have " + mean.length() + " columns like the training features, got " + Checks.shape(x));
        return SoftmaxRegressionLoss.predict(standardize(x), theta, numClasses);
    }

    /** Fraction of rows of {@code x} predicted as {@code y}. */
    public double accuracy(INDArray x, int[] y) {
        Checks.numericMatrix("LinearProbeModel.accuracy", "x", x);
        Labels.numClasses("LinearProbeModel.accuracy", "y", y, x);
        return Labels.accuracy(predict(x), y);
    }

    /** The flat parameters, for warm-starting a fit on the same features. */
    INDArray thetaForWarmStart() {
        return theta;
    }

    /** float64 copy of {@code x}, scaled as at fit time, with a trailing column of ones. */
    INDArray standardize(INDArray x) {
        INDArray c = x.castTo(DataType.DOUBLE).dup('c');
        c.subiRowVector(mean).diviRowVector(std);
        return SoftmaxRegressionLoss.augment(c);
    }
}
