package org.selfsup4j.core.eval;

import java.util.Map;

/**
 * Outcome of {@link LinearProbe#evaluate}.
 *
 * @param lambda                    the L2 strength chosen on the held-out split
 * @param trainAccuracy             accuracy of the final model (refit on all training data) on the training data
 * @param validationAccuracy        accuracy on the held-out split of the model fit, with {@code lambda}, on the rest
 * @param testAccuracy              accuracy of the final model on the test data
 * @param validationAccuracyByLambda held-out accuracy for every candidate strength, in the order tried
 * @param iterations                L-BFGS iterations of the final fit
 * @param converged                 whether the final fit met a tolerance before the iteration limit
 */
public record LinearProbeResult(double lambda, double trainAccuracy, double validationAccuracy, double testAccuracy,
        Map<Double, Double> validationAccuracyByLambda, int iterations, boolean converged) {

    /** Copies the map, keeping its order. */
    public LinearProbeResult {
        validationAccuracyByLambda = java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(validationAccuracyByLambda));
    }
}
