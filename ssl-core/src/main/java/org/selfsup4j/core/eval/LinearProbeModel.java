package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * A fitted linear probe: the scaling statistics of its training set (per-feature offset and divisor:
 * mean and standard deviation for {@link FeatureScaling#STANDARDIZE}, zero and one shared scalar for
 * {@link FeatureScaling#MAX_ABS}, zero and one for {@link FeatureScaling#NONE}) and the weights of
 * the multinomial logistic regression on the scaled features. Immutable (arrays are private copies).
 */
public final class LinearProbeModel {
    private final INDArray mean;
    private final INDArray std;
    private final INDArray theta;
    private final int numClasses;
    private final double lambda;
    private final int iterations;
    private final boolean converged;

    LinearProbeModel(INDArray mean, INDArray std, INDArray theta, int numClasses, double lambda, int iterations,
            boolean converged) {
        this.mean = mean;
        this.std = std;
        this.theta = theta;
        this.numClasses = numClasses;
        this.lambda = lambda;
        this.iterations = iterations;
        this.converged = converged;
    }

    /** Number of classes C. */
    public int numClasses() {
        return numClasses;
    }

    /** The L2 strength it was fit with. */
    public double lambda() {
        return lambda;
    }

    /** L-BFGS iterations taken. */
    public int iterations() {
        return iterations;
    }

    /** Whether the fit met a tolerance before the iteration limit. */
    public boolean converged() {
        return converged;
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
