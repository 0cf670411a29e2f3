package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L2-regularised multinomial logistic loss and its gradient, in float64, for the linear probe.
 *
 * <pre>
 * Theta = [W; b]  ((D+1) x C, the last row is the bias), stored flat in C order as theta (length (D+1)C)
 * z_i   = [x_i, 1] Theta
 * L     = (1/N) sum_i ( logsumexp(z_i) - z_i[y_i] ) + (lambda/2) ||W||_F^2      (the bias is not penalised)
 * dL/dTheta = [X, 1]^T (softmax(Z) - Y) / N + lambda [W; 0]
 * </pre>
 *
 * Buffers ({@code [N, C]} logits and one-hot targets) are allocated once per instance.
 */
final class SoftmaxRegressionLoss {
    private final INDArray xa;
    private final INDArray xaT;
    private final INDArray oneHot;
    private final INDArray logits;
    private final INDArray picked;
    private final int n;
    private final int d;
    private final int c;
    private final double lambda;

    /**
     * @param xAugmented [N, D+1] float64 features with a trailing column of ones
     * @param y          labels in 0..numClasses-1
     */
    SoftmaxRegressionLoss(INDArray xAugmented, int[] y, int numClasses, double lambda) {
        this.xa = xAugmented;
        this.xaT = xAugmented.transpose();
        this.n = xAugmented.rows();
        this.d = xAugmented.columns() - 1;
        this.c = numClasses;
        this.lambda = lambda;
        this.oneHot = Nd4j.create(DataType.DOUBLE, n, c);
        for (int i = 0; i < n; i++) {
            oneHot.putScalar(i, y[i], 1.0);
        }
        this.logits = Nd4j.create(DataType.DOUBLE, n, c);
        this.picked = Nd4j.create(DataType.DOUBLE, n, c);
    }

    /** Number of parameters, {@code (D+1) * C}. */
    int parameterCount() {
        return (d + 1) * c;
    }

    /** Appends a column of ones to float64 features. */
    static INDArray augment(INDArray x) {
        INDArray out = Nd4j.ones(DataType.DOUBLE, x.rows(), x.columns() + 1);
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, x.columns())).assign(x);
        return out;
    }

    /** The loss at {@code theta}. */
    double value(INDArray theta) {
        return evaluate(theta, null);
    }

    /**
     * The loss at {@code theta} (flat, length {@link #parameterCount()}); writes the gradient into
     * {@code gradient} (same shape) unless it is null.
     */
    double evaluate(INDArray theta, INDArray gradient) {
        INDArray t = theta.reshape(d + 1, c);
        xa.mmuli(t, logits);
        INDArray max = logits.max(1);
        logits.subiColumnVector(max);
        double pickedSum = picked.assign(logits).muli(oneHot).sumNumber().doubleValue();
        Transforms.exp(logits, false);
        INDArray sums = logits.sum(1);
        double logSumExp = Transforms.log(sums, true).sumNumber().doubleValue();
        INDArray w = theta.get(NDArrayIndex.interval(0, (long) d * c));
        double sq = w.norm2Number().doubleValue();
        double loss = (logSumExp - pickedSum) / n + 0.5 * lambda * sq * sq;
        if (gradient != null) {
            // logits now hold exp(z - max); turn them into (softmax - Y) / N in place.
            logits.diviColumnVector(sums).subi(oneHot).divi(n);
            xaT.mmuli(logits, gradient.reshape(d + 1, c));
            gradient.get(NDArrayIndex.interval(0, (long) d * c)).addi(w.mul(lambda));
        }
        return loss;
    }

    /** Predicted classes for augmented features {@code xa} and flat parameters {@code theta}. */
    static int[] predict(INDArray xAugmented, INDArray theta, int numClasses) {
        INDArray z = xAugmented.mmul(theta.reshape(xAugmented.columns(), numClasses));
        INDArray arg = Nd4j.argMax(z, 1);
        long[] a = arg.data().asLong();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }
}
