package org.selfsup4j.core.check;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/**
 * Checks a {@link Module}'s hand-written backward pass against central finite differences, the
 * counterpart of {@code torch.autograd.gradcheck} for one module. The scalar checked is
 * <pre>
 * L(x, theta) = sum(forward(x) * R)
 * </pre>
 * with R a fixed standard-normal cotangent drawn from {@code seed}, so {@code backward(R)} must equal
 * dL/dx and leave dL/dtheta in every {@link Parameter#gradient()}. Input and parameters must be
 * float64: in float32 the finite differences themselves carry errors of order 1e-3.
 *
 * <p>Modules with batch statistics (batch norm in training mode) are checked as the function of the
 * whole batch they are. A module that draws randomness in {@code forward} must be made deterministic
 * first (fixed masks), or the differences measure the noise.
 */
public final class ModuleGradientCheck {
    /** Denominator floor of the relative error (see {@link FiniteDifferences#maxRelativeError}). */
    public static final double DEFAULT_FLOOR = 1e-7;
    /** Seed of the cotangent R. */
    public static final long DEFAULT_SEED = 99;

    private ModuleGradientCheck() {
    }

    /**
     * The relative errors of one check.
     *
     * @param module the module's {@code toString()}
     * @param inputError max relative error of dL/dx
     * @param parameterErrors max relative error of each parameter's gradient, by parameter name, in
     *        {@link Module#parameters()} order
     */
    public record Report(String module, double inputError, Map<String, Double> parameterErrors) {
        public Report {
            parameterErrors = Collections.unmodifiableMap(new LinkedHashMap<>(parameterErrors));
        }

        /** @return the largest error over the input and every parameter */
        public double worst() {
            double w = inputError;
            for (double e : parameterErrors.values()) {
                w = Math.max(w, e);
            }
            return w;
        }

        /** @return whether every error is below {@code tolerance} */
        public boolean passes(double tolerance) {
            return worst() < tolerance;
        }
    }

    /** {@link #check(Module, INDArray, boolean, double, long)} with {@link #DEFAULT_FLOOR} and {@link #DEFAULT_SEED}. */
    public static Report check(Module module, INDArray input, boolean training) {
        return check(module, input, training, DEFAULT_FLOOR, DEFAULT_SEED);
    }

    /**
     * Runs the check. The input and parameter values are perturbed in place and restored; parameter
     * gradients are left holding dL/dtheta of the unperturbed point (the perturbed runs call only
     * {@code forward}, which does not touch gradients).
     *
     * @param module the module to check, with float64 parameters
     * @param input a contiguous float64 input
     * @param training the mode passed to {@code forward}
     * @param floor denominator floor of the relative error; raise it for entries that are exactly zero
     *        analytically (the finite differences then show round-off only)
     * @param seed seed of the cotangent R
     * @return the errors
     * @throws IllegalArgumentException if the input or a parameter is not float64, or the backward pass
     *         returns a gradient of another shape than the input
     */
    public static Report check(Module module, INDArray input, boolean training, double floor, long seed) {
        if (input.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("ModuleGradientCheck.check: input must be float64, got " + input.dataType());
        }
        List<Parameter> params = module.parameters();
        for (Parameter p : params) {
            if (p.value().dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("ModuleGradientCheck.check: parameter " + p.name()
                        + " must be float64, got " + p.value().dataType());
            }
        }
        INDArray cotangent = gaussian(seed, module.forward(input, training).shape());
        for (Parameter p : params) {
            p.zeroGradient();
        }
        module.forward(input, training);
        INDArray inputGrad = module.backward(cotangent).dup();
        if (!Arrays.equals(input.shape(), inputGrad.shape())) {
            throw new IllegalArgumentException("ModuleGradientCheck.check: backward returned shape "
                    + Arrays.toString(inputGrad.shape()) + " for an input of shape "
                    + Arrays.toString(input.shape()));
        }
        INDArray[] analytic = new INDArray[params.size()];
        for (int i = 0; i < analytic.length; i++) {
            analytic[i] = params.get(i).gradient().dup();
        }
        INDArray numericInput = FiniteDifferences.gradient(
                x -> module.forward(x, training).mul(cotangent).sumNumber().doubleValue(), input);
        double inputError = FiniteDifferences.maxRelativeError(inputGrad, numericInput, floor);
        Map<String, Double> errors = new LinkedHashMap<>();
        for (int i = 0; i < analytic.length; i++) {
            INDArray numeric = FiniteDifferences.gradient(
                    v -> module.forward(input, training).mul(cotangent).sumNumber().doubleValue(), params.get(i).value());
            errors.put(params.get(i).name(), FiniteDifferences.maxRelativeError(analytic[i], numeric, floor));
        }
        return new Report(module.toString(), inputError, errors);
    }

    /** Standard-normal float64 array from {@link Random#nextGaussian()} with the given seed, c order. */
    public static INDArray gaussian(long seed, long... shape) {
        Random r = new Random(seed);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] d = new double[Math.toIntExact(n)];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Nd4j.create(d, shape, 'c');
    }
}
